"""Build shim for ``scrapyd-deploy``, which runs ``python setup.py bdist_egg`` and would write its own
``setup.py`` (without the package data) if this file did not exist.

All metadata, packages and package data (``crawler/profiles/*.yaml``) come from ``pyproject.toml``;
nothing is declared here. The one thing added is the ``scrapy`` entry point Scrapyd reads to find the
settings module (``settings = <[settings] default of scrapy.cfg>``), and only if ``pyproject.toml``
does not declare it already (``[project.entry-points.scrapy]``): setuptools ignores entry points given
to ``setup()`` when ``pyproject.toml`` has a ``[project]`` table, so it is added to the egg metadata.
"""

from configparser import ConfigParser
from pathlib import Path

from setuptools import setup
from setuptools.command.egg_info import egg_info

HERE = Path(__file__).resolve().parent


def scrapy_settings_module() -> str:
    cfg = ConfigParser()
    cfg.read(HERE / "scrapy.cfg", encoding="utf-8")
    return cfg.get("settings", "default", fallback="crawler.settings")


class EggInfoWithScrapyEntryPoint(egg_info):
    def finalize_options(self) -> None:
        super().finalize_options()
        entry_points = dict(self.distribution.entry_points or {})
        if "scrapy" not in entry_points:
            entry_points["scrapy"] = [f"settings = {scrapy_settings_module()}"]
            self.distribution.entry_points = entry_points


setup(cmdclass={"egg_info": EggInfoWithScrapyEntryPoint})
