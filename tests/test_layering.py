"""The apps stay layered: shop < cart < checkout < payments_klarna < klarna_emulator.

An app imports only apps below it, so no two apps import each other (directly or round a
loop). Every ``import`` counts, at module level and inside functions alike: an import hidden in
a function is still a dependency, only a later one. Code reaches upward only through the
settings' dotted paths (``PAYMENT_PROVIDERS``, ``READINESS_CHECKS``, ...) and Django's own
hooks (URLconf, admin registration, signals), never by importing.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["shop", "cart", "checkout", "payments_klarna", "klarna_emulator"]
# The emulator stands in for Klarna: it shares nothing with the shop but its money helpers.
EMULATOR_MAY_IMPORT = {"shop.money"}
# The project's wiring lives in the lowest app (Django's project package) and composes every app;
# nothing else imports it, so it closes no loop.
WIRING = {
    "shop.settings": "lists every app; reaches them by dotted paths only",
    "shop.urls": "the root URLconf mounts every app's URLs",
    "shop.schema": "the root GraphQL schema composes every app's queries, mutations and types",
}


def app_modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def imported_modules(module: str, path: Path):
    """(line, imported module) for every import in the file, at any depth."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            if "." in target:
                yield node.lineno, target
            else:  # ``from shop import customers`` imports shop.customers
                yield from ((node.lineno, f"{target}.{alias.name}") for alias in node.names)


def violations(module: str, path: Path) -> list[str]:
    app = module.split(".")[0]
    found = []
    for line, target in imported_modules(module, path):
        other = target.split(".")[0]
        if other not in LAYERS or other == app:
            if other == app and target in WIRING and module not in WIRING:
                found.append(f"{module}:{line} imports the project wiring {target}")
            continue
        if module in WIRING:
            continue
        if app == "klarna_emulator":
            allowed = any(target == name or target.startswith(name + ".") for name in EMULATOR_MAY_IMPORT)
        else:
            allowed = LAYERS.index(other) < LAYERS.index(app)
        if target in WIRING:
            allowed = False
        if not allowed:
            found.append(f"{module}:{line} imports {target}")
    return sorted(set(found))


def test_every_app_imports_only_apps_below_it():
    found = [text for module, path in app_modules() for text in violations(module, path)]
    assert found == [], "\n".join(found)


def test_the_check_sees_imports_inside_functions_and_relative_ones(tmp_path):
    source = tmp_path / "services.py"
    source.write_text(
        "from shop.errors import DomainError\n"
        "def pay():\n"
        "    from checkout import place_order\n"
        "    from ..payments_klarna import services\n"
    )
    assert violations("cart.services", source) == [
        "cart.services:3 imports checkout.place_order",
        "cart.services:4 imports payments_klarna.services",
    ]
    emulator = tmp_path / "api.py"
    emulator.write_text("from shop.money import to_minor_units\nfrom shop.models import Product\n")
    assert violations("klarna_emulator.api", emulator) == [
        "klarna_emulator.api:2 imports shop.models",
    ]


@pytest.mark.parametrize("module", sorted(WIRING))
def test_the_wiring_modules_exist(module):
    assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), WIRING[module]
