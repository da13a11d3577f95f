"""Each host's publishing configuration is a file in the repository, checked by the host's own linter or
schema: the GitHub workflows by actionlint and GitHub's workflow schema, .gitlab-ci.yml by GitLab's CI
schema, wrangler.toml by wrangler's own schema, netlify.toml by the keys Netlify documents. Every host runs
the same gate (`portal check`, through `scripts/dev.py publish`) and publishes site/ alone."""

import glob
import json
import os
import subprocess
import sys
import tomllib

import pytest
import yaml

from conftest import ROOT

PUBLISH = "python3 scripts/dev.py publish"
WORKFLOWS = sorted(glob.glob(os.path.join(ROOT, ".github", "workflows", "*.yml")))


def npm_tool(name: str) -> str:
    folder = os.environ.get("PORTAL_NPM_TOOLS") or os.path.join(ROOT, ".venv", "npm-tools")
    path = os.path.join(folder, name, "package")
    if not os.path.isdir(path):
        pytest.fail(f"{name} is not installed: run the tests with `python3 scripts/dev.py test`", pytrace=False)
    return path


def actionlint(text: str, name: str = "publish.yml") -> list[dict]:
    """actionlint's findings for one workflow (read from standard input, reported as JSON)."""
    tool = os.path.join(os.path.dirname(sys.executable), "actionlint")
    done = subprocess.run([tool, "-format", "{{json .}}", "-stdin-filename", name, "-"], input=text, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1) and done.stdout.strip().startswith("["), done.stdout + done.stderr
    return json.loads(done.stdout)


def check_jsonschema(*args) -> subprocess.CompletedProcess:
    tool = os.path.join(os.path.dirname(sys.executable), "check-jsonschema")
    return subprocess.run([tool, *args], capture_output=True, text=True, timeout=120)


def test_the_workflows_pass_actionlint():
    assert WORKFLOWS
    for path in WORKFLOWS:
        with open(path, encoding="utf-8") as fh:
            found = actionlint(fh.read(), os.path.basename(path))
        assert found == [], "\n".join(f"{os.path.basename(path)}:{f.get('line')}: {f.get('message')}" for f in found)


def test_actionlint_would_find_a_broken_workflow():
    broken = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.x }}\n        uses: actions/checkout@v4\n"
    assert actionlint(broken)


def test_the_workflows_and_gitlab_ci_pass_their_schemas(tmp_path):
    done = check_jsonschema("--builtin-schema", "vendor.github-workflows", *WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr
    done = check_jsonschema("--builtin-schema", "vendor.gitlab-ci", os.path.join(ROOT, ".gitlab-ci.yml"))
    assert done.returncode == 0, done.stdout + done.stderr
    bad = tmp_path / ".gitlab-ci.yml"
    bad.write_text("pages:\n  script: 3\n  artifacts: {paths: site}\n", encoding="utf-8")
    assert check_jsonschema("--builtin-schema", "vendor.gitlab-ci", str(bad)).returncode == 1


def test_wrangler_toml_passes_wranglers_own_schema():
    import jsonschema

    with open(os.path.join(npm_tool("wrangler"), "config-schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    with open(os.path.join(ROOT, "wrangler.toml"), "rb") as fh:
        config = tomllib.load(fh)
    jsonschema.validate(config, schema)
    assert config["pages_build_output_dir"] == "site"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**config, "pages_build_output_dir": ["site"]}, schema)


# The file-based configuration Netlify documents (docs.netlify.com, "File-based configuration"): [build]
# with base, command, publish, functions, edge_functions, ignore and environment; contexts with the same.
_BUILD = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "base": {"type": "string"}, "command": {"type": "string"}, "publish": {"type": "string"}, "functions": {"type": "string"},
        "edge_functions": {"type": "string"}, "ignore": {"type": "string"},
        "environment": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
NETLIFY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "build": _BUILD,
        "context": {"type": "object", "additionalProperties": _BUILD},
        "redirects": {"type": "array"}, "headers": {"type": "array"}, "plugins": {"type": "array"},
    },
}


def test_netlify_toml_uses_only_the_keys_netlify_documents():
    import jsonschema

    with open(os.path.join(ROOT, "netlify.toml"), "rb") as fh:
        config = tomllib.load(fh)
    jsonschema.validate(config, NETLIFY)
    assert config["build"]["publish"] == "site" and config["build"]["environment"]["PYTHON_VERSION"].startswith("3.")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"build": {"comand": PUBLISH}}, NETLIFY)


def test_every_host_runs_the_same_gate_and_publishes_only_the_built_site():
    with open(os.path.join(ROOT, ".github", "workflows", "publish.yml"), encoding="utf-8") as fh:
        flow = yaml.load(fh, Loader=yaml.BaseLoader)
    runs = " | ".join(s.get("run", "") for s in flow["jobs"]["build"]["steps"])
    assert "portal check" in runs and "dev.py test" not in runs and "pytest" not in runs
    with open(os.path.join(ROOT, ".gitlab-ci.yml"), encoding="utf-8") as fh:
        gitlab = yaml.safe_load(fh)
    assert gitlab["pages"]["script"] == [PUBLISH] and gitlab["pages"]["pages"]["publish"] == "site"
    with open(os.path.join(ROOT, "netlify.toml"), "rb") as fh:
        assert tomllib.load(fh)["build"]["command"] == PUBLISH
    with open(os.path.join(ROOT, "wrangler.toml"), encoding="utf-8") as fh:
        assert PUBLISH in fh.read()  # the build command Cloudflare's settings take, named in the file


def test_the_publishing_guide_covers_the_four_hosts_in_indonesian():
    with open(os.path.join(ROOT, "PUBLISHING.md"), encoding="utf-8") as fh:
        guide = fh.read()
    for heading in ("GitHub Pages", "GitLab Pages", "Netlify", "Cloudflare Pages", "Domain sendiri", "deploy key", "Pembaruan harian"):
        assert heading in guide, heading
    for name in (".github/workflows/publish.yml", ".gitlab-ci.yml", "netlify.toml", "wrangler.toml", "portal check", "portal init", PUBLISH):
        assert name in guide, name
