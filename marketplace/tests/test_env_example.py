""".env.example documents every variable the settings read."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_variable_the_settings_read_is_in_env_example():
    settings_source = (REPO / "marketplace" / "settings.py").read_text()
    example = (REPO / ".env.example").read_text()
    read = set(re.findall(r'env(?:_bool|_list)?\(\s*"([A-Z0-9_]+)"', settings_source))

    undocumented = sorted(n for n in read if not re.search(rf"^{n}=", example, re.M))

    assert len(read) > 40
    assert undocumented == []
