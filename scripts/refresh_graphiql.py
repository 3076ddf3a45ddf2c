"""Vendor GraphiQL's browser files into static_debug/graphiql/ so /graphql's GraphiQL needs no CDN.

The versions are the ones the installed graphene-django pins (``GraphQLView.*_version``); each
file is fetched with ``npm pack`` (the npm registry, nothing else) and checked against
graphene-django's subresource-integrity hash before it is written, so the vendored bytes are
exactly the ones graphene-django's own template would load from the CDN. Run after upgrading
graphene-django:

    python scripts/refresh_graphiql.py

then commit static_debug/graphiql/ (old version folders removed) and run
tests/shop/test_graphiql_assets.py and
tests/e2e/test_graphiql_offline.py.
"""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "static_debug" / "graphiql"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")


def packages(view) -> list[tuple[str, str, dict[str, str], list[str]]]:
    """(npm name, version, {file in the package: its SRI}, [license files]) for each library."""
    return [
        (
            "graphiql",
            view.graphiql_version,
            {"graphiql.min.js": view.graphiql_sri, "graphiql.min.css": view.graphiql_css_sri},
            ["LICENSE"],
        ),
        ("react", view.react_version, {"umd/react.production.min.js": view.react_sri}, ["LICENSE"]),
        (
            "react-dom",
            view.react_version,
            {"umd/react-dom.production.min.js": view.react_dom_sri},
            ["LICENSE"],
        ),
        (
            "graphql-ws",
            view.subscriptions_transport_ws_version,
            {"umd/graphql-ws.min.js": view.subscriptions_transport_ws_sri},
            ["LICENSE.md"],
        ),
        (
            "@graphiql/plugin-explorer",
            view.graphiql_plugin_explorer_version,
            {
                "dist/graphiql-plugin-explorer.umd.js": view.graphiql_plugin_explorer_sri,
                "dist/style.css": view.graphiql_plugin_explorer_css_sri,
            },
            [],  # ships none: same repository and licence as graphiql (MIT, GraphQL Contributors)
        ),
    ]


def folder_name(name: str, version: str) -> str:
    return f"{name.rsplit('/', 1)[-1]}-{version}"


def sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def main() -> None:
    import django

    django.setup()
    from graphene_django.views import GraphQLView

    with tempfile.TemporaryDirectory() as tmp:
        for name, version, files, licenses in packages(GraphQLView):
            spec = f"{name}@{version}"
            tarball = (
                subprocess.run(
                    ["npm", "pack", spec, "--silent"], cwd=tmp, check=True, capture_output=True, text=True
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            destination = TARGET / folder_name(name, version)
            shutil.rmtree(destination, ignore_errors=True)
            destination.mkdir(parents=True)
            with tarfile.open(Path(tmp) / tarball) as archive:
                for member, expected in files.items():
                    data = archive.extractfile(f"package/{member}").read()
                    if sri(data) != expected:
                        raise SystemExit(f"{spec} {member}: {sri(data)} is not graphene-django's {expected}")
                    (destination / Path(member).name).write_bytes(data)
                for member in licenses:
                    (destination / member).write_bytes(archive.extractfile(f"package/{member}").read())
            print(f"{spec}: {', '.join(Path(m).name for m in files)}")
    explorer = TARGET / folder_name("@graphiql/plugin-explorer", GraphQLView.graphiql_plugin_explorer_version)
    shutil.copy(
        TARGET / folder_name("graphiql", GraphQLView.graphiql_version) / "LICENSE", explorer / "LICENSE"
    )


if __name__ == "__main__":
    main()
