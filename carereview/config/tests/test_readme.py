"""The README's set-up works on a fresh machine (issue 12, item 26): before the first command that
needs `uv`, it says how to get `uv` and to use the machine's own Python."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[3] / "README.md"


def _commands(text: str) -> list[str]:
    """The command lines of every ```sh block, in order, without comments."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if command:
                lines.append(command)
    return lines


def test_the_readme_says_how_to_get_uv_before_any_command_that_needs_it():
    commands = _commands(README.read_text())
    first_uv = next(i for i, c in enumerate(commands) if re.match(r"(\S+=\S+ )*uv\b", c))
    before = commands[:first_uv]
    assert any(re.fullmatch(r"python3? -m pip install (--user )?uv", c) for c in before), before
    assert any("UV_PYTHON_DOWNLOADS=never" in c for c in before), before


def test_the_readme_mentions_pyenv_rehash_for_pyenvs_python():
    setup = README.read_text().split("## ", 2)[1]  # the first section: set up and run
    assert "pyenv rehash" in setup
