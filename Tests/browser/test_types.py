"""Public/sdk/tccc.d.ts type-checks and describes the API as pages use it (types/usage.ts)."""

import shutil
import subprocess
from pathlib import Path

import pytest


def test_declarations_type_check():
    tsc = shutil.which("tsc")
    if tsc is None:
        pytest.fail("tsc is missing: `apt-get install -y node-typescript` (Debian's TypeScript compiler)")
    usage = Path(__file__).parent / "types" / "usage.ts"
    result = subprocess.run([tsc, "--noEmit", "--strict", "--lib", "es2017,dom", str(usage)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
