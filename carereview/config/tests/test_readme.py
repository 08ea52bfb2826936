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


def test_the_readme_lists_the_authoritys_settings_as_core_authority_defines_them():
    """Issue 13 item 5: the table is made from the typed settings; it changes with them."""
    from carereview.core.authority import settings_table

    text = README.read_text()
    table = text.split("<!-- authority-settings:start -->\n", 1)[1].split(
        "<!-- authority-settings:end -->", 1
    )[0]
    assert table == settings_table(), (
        "README.md's table of the authority's settings is out of date: redo it with "
        'uv run python -c "from carereview.core.authority import settings_table as t; '
        "print(t(), end='')\""
    )


def test_the_readme_lists_every_environment_variable_the_settings_read():
    settings_dir = README.parent / "carereview" / "config" / "settings"
    read = set()
    for module in settings_dir.glob("*.py"):
        source = module.read_text()
        assert "os.environ" not in source, f"{module.name} reads the environment without environs"
        read |= set(
            re.findall(r"\.(?:str|int|bool|list|dj_db_url)\(\s*\"([A-Z][A-Z0-9_]+)\"", source)
        )
    assert {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SMTP_PORT"} <= read
    section = README.read_text().split("## Settings", 1)[1].split("**The authority's choices**")[0]
    listed = set(re.findall(r"^\| `([A-Z0-9_]+)`(?:, `([A-Z0-9_]+)`)?", section, flags=re.M))
    listed = {name for pair in listed for name in pair if name}
    assert read - listed == set(), "not in the README's table of environment variables"
