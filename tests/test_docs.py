"""The README is what a newcomer follows word for word: keep it true."""

import re
import subprocess
import sys

from tests.running import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_quick_start_is_the_two_make_targets_and_ci_runs_the_test_one():
    assert "make demo" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_the_readme_shows_exists_with_the_options_it_shows():
    shown = re.findall(r"^python run_pipeline.py (\w+)\s+(.*?)\s{3,}", README, re.M)
    assert {name for name, _ in shown} >= {"demo", "templates", "run"}
    for name, options in shown:
        result = subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), name, "--help"],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, name
        for option in re.findall(r"--[a-z-]+", options):
            assert option in result.stdout, (name, option)


def test_the_exit_codes_the_readme_lists_are_the_ones_the_cli_returns():
    from pipeline import cli

    table = dict(re.findall(r"^\| (\d) \| (.+?) \|$", README, re.M))
    assert {int(code) for code in table} == {
        cli.EXIT_OK, cli.EXIT_FAILED, cli.EXIT_USAGE, cli.EXIT_LOCKED, cli.EXIT_REGISTRY}
