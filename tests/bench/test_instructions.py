"""``python -m bench instructions``: the callgrind dumps summed per label (no valgrind needed
here), and one real run when valgrind and gcc are installed."""

import json
import shutil
import subprocess
import sys

import pytest

from bench import instructions


def _dump(directory, number, label, count):
    (directory / f"cg.out.{number}").write_text(
        f"version: 1\ncreator: callgrind\ndesc: Trigger: Client Request: {label}\nevents: Ir\n"
        f"fn=(1) main\n0 {count}\nsummary: {count}\n",
        encoding="utf-8",
    )


def test_dumps_are_summed_per_label_and_divided_per_checkout(tmp_path):
    for number, (label, count) in enumerate(
        [
            ("setup", 10**9),
            ("op:placeOrder", 20_000_000),
            ("emulator", 6_000_000),
            ("op:placeOrder", 10_000_000),
            ("email_render", 4_000_000),
            ("email_send", 8_000_000),
            ("glue", 2_000_000),
            ("op:trivial", 4_000_000),
        ],
        start=1,
    ):
        _dump(tmp_path, number, label, count)

    result = instructions.summarize(instructions.parse_dumps(str(tmp_path)), 2, str(tmp_path))

    assert result["operations"] == {"placeOrder": 15_000_000}
    assert result["per_checkout"] == {
        "shop": 21_000_000,
        "shop_without_email": 15_000_000,
        "email_render": 2_000_000,
        "email_send": 4_000_000,
        "emulator": 3_000_000,
        "shop_and_emulator": 24_000_000,
        "glue": 1_000_000,
        "trivial_request": 2_000_000,
    }


@pytest.mark.skipif(not (shutil.which("valgrind") and shutil.which("gcc")), reason="needs valgrind and gcc")
def test_one_checkout_counted_under_callgrind(tmp_path):
    out = tmp_path / "ir.json"
    subprocess.run(
        [sys.executable, "-m", "bench", "instructions", "--n", "1", "--json", str(out)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    result = json.loads(out.read_text())
    assert set(result["operations"]) >= {"createGuestCart", "placeOrder"}
    assert result["operations"]["placeOrder"] > result["operations"]["createGuestCart"] > 0
    assert result["per_checkout"]["emulator"] > 0 and result["per_checkout"]["email_send"] > 0
