"""Extract every GraphQL operation of Magento's Venia from its npm tarballs into a fixture.

    python -m tests.venia.extract                  # npm pack the pinned versions into a temp dir,
                                                   # write tests/venia/venia_operations.json
    python -m tests.venia.extract --check          # the same, but exit 1 when the fixture differs
    python -m tests.venia.extract --tarballs DIR   # use tarballs already packed into DIR

The tarballs are ``npm pack @magento/peregrine@15.7.3 @magento/venia-ui@11.7.3``, checked
against the registry's sha512 integrity pinned below, and never committed.

What is extracted, and how (each step mirrors what Venia's build and Apollo do, so the fixture
holds the documents Venia sends, not a hand copy):

1. Modules: every ``.js`` file of both packages except tests, fixtures and mocks
   (``__tests__``, ``__fixtures__``, ``__mocks__``, ``*.spec.js``, ``*.stories.js``) and the
   Adobe Commerce edition variants ``*.ee.js``: PWA Studio's resolver picks ``X.ce.js`` over
   ``X.ee.js`` for an Open Source backend (``import './x.gql'`` resolves ``x.gql.ce.js``, then
   ``x.gql.js``). The skipped ``.ee.js`` files are listed in the fixture.
2. Documents: each ``gql`...``` template bound to a ``const``. ``${Name}`` is resolved like
   graphql-tag does: ``Name`` is a ``gql`` const of the same module or imported (named import,
   relative or ``@magento/peregrine``/``@magento/venia-ui`` path, through re-exports) and its
   full text is pasted in; duplicate fragment definitions are dropped when identical (an
   unresolvable name, a non-document value or two different fragments with one name is an error).
3. Operations: a template holding an operation (not just fragments) is one fixture entry; its
   document is what Apollo Client 3.5 sends: ``__typename`` added to every selection set but the
   operation's own (``addTypenameToDocument``), fields marked ``@client`` removed with the
   variables and fragments only they used (``removeClientSetsFromDocument``), printed by the
   GraphQL printer. A document left with nothing for the server is kept with ``"document": null``
   (Apollo answers it from the cache alone).
4. Area: from the source path, by ``AREA_BY_DIRECTORY`` and ``AREA_BY_FILE`` below.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import posixpath
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
    print_ast,
)
from graphql.language import REMOVE, Visitor, visit

FIXTURE = Path(__file__).with_name("venia_operations.json")

# name -> (version, npm registry sha512 integrity of the tarball)
PACKAGES = {
    "@magento/peregrine": (
        "15.7.3",
        "sha512-7z4Pn1R+gjL5L0Xd66t8CefLLl1UIRSUS9rc2EFyHIW1rZXSJq11ALw4OJY8Q71aB5gjS/fZNFF8SpxADUWO9Q==",
    ),
    "@magento/venia-ui": (
        "11.7.3",
        "sha512-7WEqGtPow0VTp7wLQRESP19BQzBvS5/hMkGmWhKwbJzfqEPG3dmgTHmlzu5QYq0KzMX4XqSJ2zYmcr6djBoecg==",
    ),
}
COMMAND = "npm pack " + " ".join(f"{name}@{version}" for name, (version, _) in PACKAGES.items())

AREAS = ("checkout", "cart", "account", "catalog", "cms/store")

# The component (or talon) directory a file lives in -> area. The directory is the first one
# under lib/talons/RootComponents/, lib/talons/, lib/components/, lib/RootComponents/ or lib/hooks/.
AREA_BY_DIRECTORY = {
    # checkout: the checkout page, the legacy checkout, and the country/region pickers of its forms
    "CheckoutPage": "checkout",
    "Checkout": "checkout",
    "Country": "checkout",
    "Region": "checkout",
    # cart: cart page, mini carts
    "CartPage": "cart",
    "MiniCart": "cart",
    "LegacyMiniCart": "cart",
    # account: sign-in, sign-up, the account pages, wish lists, newsletter
    "AccountChip": "account",
    "AccountInformationPage": "account",
    "AddressBookPage": "account",
    "AuthModal": "account",
    "CommunicationsPage": "account",
    "CreateAccount": "account",
    "ForgotPassword": "account",
    "MyAccount": "account",
    "Newsletter": "account",
    "OrderHistoryPage": "account",
    "SavedPaymentsPage": "account",
    "SignIn": "account",
    "Wishlist": "account",
    "WishlistPage": "account",
    "useCustomerWishlistSkus": "account",
    # catalog: browsing, product pages, search, add-to-cart with product options
    "AddToCartDialog": "catalog",
    "Breadcrumbs": "catalog",
    "Category": "catalog",
    "CategoryList": "catalog",
    "CategoryTree": "catalog",
    "FilterModal": "catalog",
    "Gallery": "catalog",
    "MegaMenu": "catalog",
    "Navigation": "catalog",
    "Product": "catalog",
    "ProductFullDetail": "catalog",
    "SearchBar": "catalog",
    "SearchPage": "catalog",
    # cms/store: CMS content, store configuration and switchers, routing, page chrome
    "App": "cms/store",
    "Cms": "cms/store",
    "CmsBlock": "cms/store",
    "CmsDynamicBlock": "cms/store",
    "ContactPage": "cms/store",
    "Footer": "cms/store",
    "Head": "cms/store",
    "Header": "cms/store",
    "MagentoRoute": "cms/store",
    "RobotsMeta": "cms/store",
    "useGoogleReCaptcha": "cms/store",
}
# Files whose area differs from their directory's.
AREA_BY_FILE = {
    "Header/accountMenu.gql.js": "account",
    "Header/cartTrigger.gql.js": "cart",
    "Header/cartTriggerFragments.gql.js": "cart",
    "Gallery/addToCart.gql.js": "cart",
}
_AREA_ROOTS = (
    "lib/talons/RootComponents/",
    "lib/talons/",
    "lib/components/",
    "lib/RootComponents/",
    "lib/hooks/",
)


class ExtractionError(Exception):
    pass


def area_of(path: str) -> str:
    """The area of a package file (``lib/talons/CartPage/cartPage.gql.js`` -> ``cart``)."""
    for root in _AREA_ROOTS:
        if path.startswith(root):
            rest = path[len(root) :]
            break
    else:
        raise ExtractionError(f"{path}: not under {', '.join(_AREA_ROOTS)}; give it an area")
    directory = rest.split("/", 1)[0]
    for suffix, area in AREA_BY_FILE.items():
        if rest == suffix:
            return area
    if directory not in AREA_BY_DIRECTORY:
        raise ExtractionError(f"{path}: directory {directory!r} has no area in AREA_BY_DIRECTORY")
    return AREA_BY_DIRECTORY[directory]


# --- reading the packages ---------------------------------------------------------------------------


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def tarball_name(package: str) -> str:
    version = PACKAGES[package][0]
    return package.lstrip("@").replace("/", "-") + f"-{version}.tgz"


def pack(directory: Path) -> None:
    """``npm pack`` the pinned versions into ``directory`` (needs npm and the registry)."""
    subprocess.run(
        ["npm", "pack", "--silent", *(f"{n}@{v}" for n, (v, _) in PACKAGES.items())],
        cwd=directory,
        check=True,
        capture_output=True,
        timeout=300,
    )


def read_tarballs(directory: Path) -> dict[str, dict[str, str]]:
    """package name -> {path inside the package: text} for every .js file, after checking each
    tarball against its pinned integrity."""
    sources = {}
    for package, (_, integrity) in PACKAGES.items():
        data = (directory / tarball_name(package)).read_bytes()
        if _integrity(data) != integrity:
            raise ExtractionError(f"{tarball_name(package)}: integrity differs from the registry's pin")
        files = {}
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                if member.isfile() and member.name.startswith("package/") and member.name.endswith(".js"):
                    files[member.name[len("package/") :]] = archive.extractfile(member).read().decode("utf-8")
        sources[package] = files
    return sources


def _excluded(path: str) -> str | None:
    """Why a file is not a module of the Open Source build, or None."""
    parts = path.split("/")
    if any(p in ("__tests__", "__fixtures__", "__mocks__") for p in parts) or re.search(
        r"\.(spec|test|stories)\.js$", path
    ):
        return "test"
    if path.endswith(".ee.js"):
        return "ee"
    return None


# --- modules: gql templates, imports, re-exports -------------------------------------------------------

_TEMPLATE = re.compile(r"(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*gql\s*`")
_ANY_GQL = re.compile(r"\bgql\s*`")
_IMPORT = re.compile(
    r"^\s*import\s+(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\*\s+as\s+([A-Za-z_$][\w$]*)\s*)?"
    r"(?:\{([^}]*)\})?\s*from\s*['\"]([^'\"]+)['\"]",
    re.M,
)
_REEXPORT = re.compile(r"^\s*export\s*\{([^}]*)\}\s*from\s*['\"]([^'\"]+)['\"]", re.M)
_LOCAL_EXPORT = re.compile(r"^\s*export\s*\{([^}]*)\}\s*;?\s*$", re.M)


@dataclass
class Template:
    name: str
    parts: list  # str (literal text) and Interpolation, in order
    line: int


@dataclass(frozen=True)
class Interpolation:
    name: str


@dataclass
class Module:
    package: str
    path: str
    templates: dict[str, Template] = field(default_factory=dict)
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # local -> (spec, imported)
    reexports: dict[str, tuple[str, str]] = field(default_factory=dict)  # exported -> (spec, name)
    aliases: dict[str, str] = field(default_factory=dict)  # exported -> local (export { a as b })


def _names(clause: str):
    for item in clause.split(","):
        item = re.sub(r"//.*|/\*.*?\*/", "", item).strip()
        if not item:
            continue
        original, _, alias = item.partition(" as ")
        yield original.strip(), (alias or original).strip()


def _template_body(text: str, start: int) -> tuple[list, int]:
    """Parse a template literal whose opening backtick is at ``start - 1``; return its parts and
    the index after the closing backtick."""
    parts, buf, i = [], [], start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            buf.append(text[i + 1])
            i += 2
            continue
        if ch == "`":
            parts.append("".join(buf))
            return parts, i + 1
        if text.startswith("${", i):
            end = text.index("}", i)
            expression = text[i + 2 : end].strip()
            if not re.fullmatch(r"[A-Za-z_$][\w$]*", expression):
                raise ExtractionError(f"unsupported interpolation ${{{expression}}}")
            parts.append("".join(buf))
            parts.append(Interpolation(expression))
            buf, i = [], end + 1
            continue
        buf.append(ch)
        i += 1
    raise ExtractionError("unterminated template literal")


def parse_module(package: str, path: str, text: str) -> Module:
    module = Module(package, path)
    bound = {m.end(): m.group(1) for m in _TEMPLATE.finditer(text)}
    for match in _ANY_GQL.finditer(text):
        name = bound.get(match.end())
        line = text.count("\n", 0, match.start()) + 1
        if name is None:
            raise ExtractionError(f"{package}/{path}:{line}: a gql template not bound to a const")
        if name in module.templates:
            raise ExtractionError(f"{package}/{path}:{line}: two gql templates named {name}")
        try:
            parts, _ = _template_body(text, match.end())
        except ExtractionError as error:
            raise ExtractionError(f"{package}/{path}:{line}: {error}") from None
        module.templates[name] = Template(name, parts, line)
    for default, namespace, clause, spec in _IMPORT.findall(text):
        if default:
            module.imports[default] = (spec, "default")
        if namespace:
            module.imports[namespace] = (spec, "*")
        for original, alias in _names(clause or ""):
            module.imports[alias] = (spec, original)
    for clause, spec in _REEXPORT.findall(text):
        for original, alias in _names(clause):
            module.reexports[alias] = (spec, original)
    for clause in _LOCAL_EXPORT.findall(text):
        for original, alias in _names(clause):
            module.aliases[alias] = original
    return module


# --- resolving documents ---------------------------------------------------------------------------


class Packages:
    """Both packages' modules, resolved like PWA Studio's Open Source build resolves them."""

    ROOTS = {"@magento/peregrine": "@magento/peregrine", "@magento/venia-ui": "@magento/venia-ui"}

    def __init__(self, sources: dict[str, dict[str, str]]):
        self.sources = sources
        self._modules: dict[tuple[str, str], Module] = {}
        self._texts: dict[tuple[str, str, str], str] = {}

    def module(self, package: str, path: str) -> Module:
        key = (package, path)
        if key not in self._modules:
            self._modules[key] = parse_module(package, path, self.sources[package][path])
        return self._modules[key]

    def resolve(self, importer: Module, spec: str) -> tuple[str, str] | None:
        """(package, path) of an import specifier, or None for a module outside both packages."""
        if spec.startswith("."):
            package, base = (
                importer.package,
                posixpath.normpath(posixpath.join(posixpath.dirname(importer.path), spec)),
            )
        else:
            for root in self.ROOTS:
                if spec == root or spec.startswith(root + "/"):
                    package, base = root, spec[len(root) + 1 :] or "lib/index"
                    break
            else:
                return None
        files = self.sources[package]
        # The Open Source build: .ce.js before .js (PWA Studio's MagentoResolver extensions).
        for candidate in (base + ".ce.js", base + ".js", base, base + "/index.ce.js", base + "/index.js"):
            if candidate in files:
                return package, candidate
        raise ExtractionError(f"{importer.package}/{importer.path}: cannot resolve {spec!r}")

    def binding_text(self, module: Module, name: str, trail=()) -> str:
        """The document text a name stands for in ``module`` (graphql-tag's ``loc.source.body``)."""
        where = f"{module.package}/{module.path}"
        if (module.package, module.path, name) in trail:
            raise ExtractionError(f"{where}: circular reference through {name}")
        trail = (*trail, (module.package, module.path, name))
        name = module.aliases.get(name, name)
        if name in module.templates:
            key = (module.package, module.path, name)
            if key not in self._texts:
                self._texts[key] = self._evaluate(module, module.templates[name], trail)
            return self._texts[key]
        target = module.imports.get(name) or module.reexports.get(name)
        if target is None:
            raise ExtractionError(f"{where}: {name} is neither a gql template nor imported")
        spec, imported = target
        if imported in ("default", "*"):
            raise ExtractionError(f"{where}: {name} is a {imported} import, not a document")
        resolved = self.resolve(module, spec)
        if resolved is None:
            raise ExtractionError(f"{where}: {name} comes from {spec!r}, outside the packages")
        return self.binding_text(self.module(*resolved), imported, trail)

    def _evaluate(self, module: Module, template: Template, trail) -> str:
        return "".join(
            part if isinstance(part, str) else self.binding_text(module, part.name, trail)
            for part in template.parts
        )


def _dedupe_fragments(document, where: str):
    """graphql-tag's processFragments: an identical repeated fragment is dropped; two different
    fragments with one name is an error here (graphql-tag only warns, the server refuses)."""
    seen: dict[str, str] = {}
    definitions = []
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            text = print_ast(definition)
            name = definition.name.value
            if name in seen:
                if seen[name] != text:
                    raise ExtractionError(f"{where}: two different fragments named {name}")
                continue
            seen[name] = text
        definitions.append(definition)
    document.definitions = tuple(definitions)
    return document


# --- what Apollo Client 3.5 sends -------------------------------------------------------------------

_TYPENAME = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=(), selection_set=None)


class _AddTypename(Visitor):
    def enter_selection_set(self, node, key, parent, path, ancestors):
        if isinstance(parent, OperationDefinitionNode):
            return None
        if any(isinstance(s, FieldNode) and s.name.value.startswith("__") for s in node.selections):
            return None
        if isinstance(parent, FieldNode) and any(d.name.value == "export" for d in parent.directives or ()):
            return None
        return SelectionSetNode(selections=(*node.selections, _TYPENAME))


class _RemoveClientFields(Visitor):
    def __init__(self):
        super().__init__()
        self.variables_in_use: set[str] = set()
        self.variables_to_remove: list[str] = []
        self.spreads_in_use: set[str] = set()
        self.spreads_to_remove: list[str] = []
        self.removed: list[str] = []

    def enter_variable(self, node, key, parent, path, ancestors):
        if parent.__class__.__name__ != "VariableDefinitionNode":
            self.variables_in_use.add(node.name.value)

    def enter_field(self, node, key, parent, path, ancestors):
        if any(d.name.value == "client" for d in node.directives or ()):
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    self.variables_to_remove.append(argument.value.name.value)
            if node.selection_set:
                self.spreads_to_remove.extend(_spreads(node.selection_set))
            self.removed.append(node.name.value)
            return REMOVE
        return None

    def enter_fragment_spread(self, node, *args):
        self.spreads_in_use.add(node.name.value)

    def enter_directive(self, node, *args):
        return REMOVE if node.name.value == "client" else None


def _spreads(selection_set) -> list[str]:
    names = []
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            names.append(selection.name.value)
        elif getattr(selection, "selection_set", None):
            names.extend(_spreads(selection.selection_set))
    return names


def _is_empty(selection_set, fragments) -> bool:
    return all(
        isinstance(s, FragmentSpreadNode) and _is_empty(fragments[s.name.value].selection_set, fragments)
        for s in selection_set.selections
    )


def apollo_document(document) -> tuple[object | None, list[str]]:
    """The document Apollo sends for ``document`` (None when nothing goes to the server) and the
    names of the ``@client`` fields it removed."""
    document = visit(document, _AddTypename())
    remover = _RemoveClientFields()
    document = visit(document, remover)
    if not remover.removed:
        return document, []
    unused_variables = {v for v in remover.variables_to_remove if v not in remover.variables_in_use}
    unused_fragments = {f for f in remover.spreads_to_remove if f not in remover.spreads_in_use}
    definitions = []
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            if definition.name.value in unused_fragments:
                continue
            if all(
                isinstance(s, FieldNode) and s.name.value == "__typename"
                for s in definition.selection_set.selections
            ):
                continue
        if isinstance(definition, OperationDefinitionNode) and unused_variables:
            definition.variable_definitions = tuple(
                v for v in definition.variable_definitions if v.variable.name.value not in unused_variables
            )
        definitions.append(definition)
    document.definitions = tuple(definitions)
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    operation = next(d for d in definitions if isinstance(d, OperationDefinitionNode))
    if _is_empty(operation.selection_set, fragments):
        return None, remover.removed
    return document, remover.removed


# --- the fixture -------------------------------------------------------------------------------------


def extract(sources: dict[str, dict[str, str]]) -> dict:
    packages = Packages(sources)
    operations, excluded = [], []
    for package in PACKAGES:
        for path in sorted(sources[package]):
            reason = _excluded(path)
            text = sources[package][path]
            if reason == "ee" and _ANY_GQL.search(text):
                excluded.append(f"{package}/{path}")
            if reason or not _ANY_GQL.search(text):
                continue
            module = packages.module(package, path)
            for template in module.templates.values():
                where = f"{package}/{path}:{template.line}"
                source = packages.binding_text(module, template.name)
                document = _dedupe_fragments(parse(source, no_location=True), where)
                defined = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
                if not defined:
                    continue  # fragments only
                if len(defined) > 1:
                    raise ExtractionError(f"{where}: more than one operation in one template")
                sent, client_fields = apollo_document(document)
                operations.append(
                    {
                        "name": defined[0].name.value if defined[0].name else None,
                        "type": defined[0].operation.value,
                        "area": area_of(path),
                        "package": package,
                        "file": path,
                        "export": template.name,
                        "client_fields_removed": client_fields,
                        "document": print_ast(sent) if sent is not None else None,
                    }
                )
    return {
        "generated_by": "python -m tests.venia.extract (see its docstring)",
        "tarballs": COMMAND,
        "packages": {name: {"version": v, "integrity": i} for name, (v, i) in PACKAGES.items()},
        "excluded_ee_files": excluded,
        "operations": operations,
    }


def render(fixture: dict) -> str:
    return json.dumps(fixture, indent=1, ensure_ascii=False) + "\n"


def load_fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed fixture")
    parser.add_argument("--tarballs", type=Path, help="directory holding the packed tarballs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        directory = args.tarballs
        if directory is None:
            directory = Path(temporary)
            pack(directory)
        text = render(extract(read_tarballs(directory)))
    if args.check:
        if not FIXTURE.exists() or FIXTURE.read_text(encoding="utf-8") != text:
            print(f"{FIXTURE} differs from the extraction; rerun without --check", file=sys.stderr)
            return 1
        print(f"{FIXTURE} is up to date")
        return 0
    FIXTURE.write_text(text, encoding="utf-8")
    fixture = json.loads(text)
    counts = {}
    for operation in fixture["operations"]:
        counts[operation["area"]] = counts.get(operation["area"], 0) + 1
    print(f"wrote {FIXTURE}: {len(fixture['operations'])} operations {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
