from __future__ import annotations

from pathlib import Path

import pytest

from crawler.errors import ConfigError
from crawler.profiles import load_profiles, profile_for_url

GOOD = """
name: {name}
domains: [news.example]
start_urls: [http://news.example/list/index.html]
timezone: Asia/Shanghai
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_profiles_are_valid() -> None:
    profiles = load_profiles()
    assert "smartchina_expo" in profiles
    assert profiles["smartchina_expo"].timezone == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ("colour: red\n", "colour"),
        ("fields:\n  title: 'h1[[['\n", "fields.title"),
        ("fields:\n  subtitle: h2\n", "fields.subtitle"),
        ("detail:\n  url_pattern: '([a-z'\n", "detail.url_pattern"),
        ("listing:\n  pagination:\n    kind: sideways\n", "listing.pagination.kind"),
        ("listing:\n  pagination:\n    kind: jsonp\n", "listing.pagination.api"),
    ],
)
def test_invalid_profiles_name_file_and_key(tmp_path: Path, extra: str, key: str) -> None:
    path = _write(tmp_path, "bad", GOOD.format(name="bad") + extra)
    with pytest.raises(ConfigError) as err:
        load_profiles([tmp_path])
    assert err.value.key == key
    assert str(path) in str(err.value)


def test_unknown_timezone(tmp_path: Path) -> None:
    _write(tmp_path, "tz", GOOD.format(name="tz").replace("Asia/Shanghai", "Mars/Olympus"))
    with pytest.raises(ConfigError, match="timezone"):
        load_profiles([tmp_path])


def test_missing_required_key(tmp_path: Path) -> None:
    _write(tmp_path, "nodomain", "name: nodomain\nstart_urls: [http://a.example/]\n")
    with pytest.raises(ConfigError) as err:
        load_profiles([tmp_path])
    assert err.value.key == "domains"


def test_extends_merges_base(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "cms_base",
        "name: cms_base\nabstract: true\ntimezone: Europe/Berlin\nfields:\n  body: '#zoom'\n  title: h1\n",
    )
    _write(
        tmp_path,
        "site_a",
        "name: site_a\nextends: cms_base\ndomains: [a.example]\n"
        "start_urls: [http://a.example/l/]\nfields:\n  title: h2.t\n",
    )
    profiles = load_profiles([tmp_path])
    site = profiles["site_a"]
    assert site.timezone == "Europe/Berlin"
    assert dict(site.fields) == {"body": "#zoom", "title": "h2.t"}
    assert profiles["cms_base"].abstract
    assert profile_for_url("http://www.a.example/x.html", profiles) is site
    assert profile_for_url("http://cms_base.example/", profiles) is None


def test_drop_selectors_and_drop_paragraphs_apply(tmp_path: Path) -> None:
    from parsel import Selector

    from crawler.extract import parse_article

    _write(tmp_path, "clean", GOOD.format(name="clean") + "cleanup:\n  drop_selectors: ['div.ad-box']\n"
           "  drop_paragraphs: ['^Reporter on duty']\n")  # fmt: skip
    profile = load_profiles([tmp_path])["clean"]
    html = """<html><body><h1>Expo opens with 900 exhibitors</h1><p>Time: 2024-05-10 09:30</p>
      <div id="content"><p>The expo opened on Friday with exhibitors from thirty countries and regions.</p>
      <div class="ad-box"><p>Buy our newspaper subscription today for a very low price, call now.</p></div>
      <p>Organisers expect more than two hundred thousand visitors over the four days of the fair.</p>
      <p>Reporter on duty: Li Ming</p></div></body></html>"""
    selector = Selector(text=html)
    fields = parse_article(selector, "http://news.example/a/1.html", profile)
    assert fields.body == (
        "The expo opened on Friday with exhibitors from thirty countries and regions.\n\n"
        "Organisers expect more than two hundred thousand visitors over the four days of the fair."
    )
    assert selector.css("div.ad-box")  # the caller's tree is left as it was
