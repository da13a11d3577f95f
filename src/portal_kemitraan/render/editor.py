"""The staff's web editor at /admin/ (Decap CMS): its configuration from the partner JSON Schema and the public data, its page."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from urllib.parse import urlsplit

from ..core.partnerschema import partner_schema
from ..core.reference import KIND_LABELS, provinces

# Every field staff edit, with its label and hint in Indonesian (the editor's English labels are the
# schema's titles). A field of the schema missing here is an error (tests/test_editor_config.py), so a
# new field of the partner model cannot reach the editor without Indonesian words.
LABELS: dict[str, tuple[str, str]] = {
    "name": ("Nama lembaga", "Seperti yang ingin ditampilkan di situs."),
    "pattern": ("Pola kemitraan", ""),
    "side": ("Pihak dalam pola", "Salah satu dari dua pihak pola yang dipilih."),
    "summary": ("Ringkasan", "Satu atau dua kalimat, paling banyak 280 huruf."),
    "region": ("Wilayah", ""),
    "region.province": ("Provinsi", ""),
    "region.city": ("Kota/kabupaten", ""),
    "summary_en": ("Ringkasan (bahasa Inggris)", "Untuk edisi bahasa Inggris; boleh dikosongkan."),
    "description": ("Deskripsi", "Cerita lebih panjang tentang lembaga dan kerja samanya."),
    "description_en": ("Deskripsi (bahasa Inggris)", "Tanpa ini, halaman bahasa Inggris memakai teks bahasa Indonesia."),
    "kind": ("Jenis lembaga", ""),
    "forms": ("Bentuk kerja sama", ""),
    "sectors": ("Sektor usaha", "Satu sektor per baris, mis. kopi."),
    "location": ("Titik di peta", "Boleh dikosongkan."),
    "location.lat": ("Lintang", ""),
    "location.lon": ("Bujur", ""),
    "website": ("Situs web", "Alamat lengkap, mulai dengan https://"),
    "logo": ("Logo", "PNG, JPG, WebP atau SVG, paling besar 2 MiB."),
    "contact": ("Kontak lembaga", ""),
    "contact.email": ("Surel lembaga", ""),
    "contact.phone": ("Telepon lembaga", ""),
    "contact.whatsapp": ("WhatsApp lembaga", "Nomor HP, mis. 0812 3456 7890."),
    "contact.person": ("Narahubung", "Ditampilkan hanya bila orangnya setuju."),
    "contact.person.name": ("Nama", ""),
    "contact.person.role": ("Jabatan", ""),
    "contact.person.email": ("Surel", ""),
    "contact.person.phone": ("Telepon", ""),
    "contact.person.whatsapp": ("WhatsApp", "Nomor HP, mis. 0812 3456 7890."),
    "contact.person.consent": ("Setuju ditampilkan", "Centang hanya bila orangnya sudah setuju nama dan kontaknya tampil di situs."),
    "stage": ("Tahap kemitraan", ""),
    "agreement": ("Kesepakatan", ""),
    "agreement.type": ("Jenis kesepakatan", "mis. MoU, PKS, surat kesepakatan."),
    "agreement.signed": ("Tanggal ditandatangani", ""),
    "agreement.start": ("Berlaku mulai", ""),
    "agreement.end": ("Berlaku sampai", ""),
    "agreement.document": ("Dokumen kesepakatan", "Alamat https dokumennya, bila boleh dibuka umum."),
    "agreement.counterpart": ("Pihak lain kesepakatan", "Kode mitra lain, atau nama. Hanya untuk staf."),
    "activities": ("Kegiatan", "Tampil di profil dan di kabar kemitraan."),
    "activities.title": ("Judul kegiatan", ""),
    "activities.date": ("Tanggal", ""),
    "activities.summary": ("Ringkasan kegiatan", ""),
    "evaluations": ("Evaluasi", ""),
    "evaluations.period": ("Periode", "mis. 2026, atau Jan–Jun 2026."),
    "evaluations.summary": ("Ringkasan evaluasi", ""),
    "evaluations.achieved": ("Yang tercapai", ""),
    "evaluations.obstacles": ("Hambatan", ""),
    "since": ("Bermitra sejak", ""),
    "last_verified": ("Terakhir diperiksa mitra", ""),
    "visibility": ("Tampil di situs", "publik: di direktori; tanpa daftar: hanya lewat tautan; tersembunyi: tidak terbit."),
    "internal": ("Catatan staf", "Tidak pernah diterbitkan."),
    "internal.owner": ("Penanggung jawab", "Siapa di staf yang mengurus kemitraan ini."),
    "internal.last_contact": ("Terakhir dihubungi", ""),
    "internal.applicant": ("Pengaju", "Bila pengaju bukan narahubung."),
    "internal.applicant.name": ("Nama pengaju", ""),
    "internal.applicant.email": ("Surel pengaju", ""),
    "internal.notes": ("Catatan", "Apa saja yang perlu diingat staf."),
}
# A pattern's fields (partners/patterns/<id>.yml), for the editor's list of patterns.
PATTERN_LABELS: dict[str, tuple[str, str]] = {
    "order": ("Urutan", "Pola diurutkan menurut angka ini di situs."),
    "name": ("Nama pola", ""),
    "summary": ("Ringkasan pola", ""),
    "sides": ("Dua pihak", "Kode pihak dipakai berkas mitra (side:): jangan diubah bila sudah ada mitra di pihak itu."),
    "sides.id": ("Kode pihak", "Huruf kecil, angka dan tanda hubung."),
    "sides.label": ("Nama pihak", ""),
    "sides.who": ("Siapa", ""),
    "sides.brings": ("Yang dibawa", ""),
    "flows": ("Yang mengalir di antara kedua pihak", ""),
    "flows.from": ("Dari pihak", "Kode pihak."),
    "flows.to": ("Ke pihak", "Kode pihak."),
    "flows.label": ("Apa", ""),
    "fits": ("Kapan pola ini cocok", ""),
    "example": ("Contoh", ""),
    "organisation": ("Peran organisasi dalam kesepakatan", "Pihak: ikut terikat; fasilitator: menyaksikan."),
}
I18N_LABELS = {"id": ("Bahasa Indonesia", ""), "en": ("Bahasa Inggris", "")}  # the two languages of a text
CHOICE_WORDS = {"party": "Pihak", "facilitator": "Fasilitator"}
# Written by the commands, read by them: kept as they are in the file, not shown in the form.
NOT_IN_FORM = ("internal.screening", "internal.import_problems", "internal.imported_from", "internal.imported_on", "internal.received")
# Fields whose shape `validate` checks, as a pattern the form checks before saving (JavaScript's RegExp).
SHAPES = {
    "email": (r"^[A-Za-z0-9_+'-]+(\.[A-Za-z0-9_+'-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$",
              "Tulis alamat surel seperti nama@contoh.id."),
    "whatsapp": (r"^(\+62|62|0)[ -]?8[1-9]([ -]?[0-9]){6,10}$", "Tulis nomor HP Indonesia, mis. 0812 3456 7890."),
    "phone": (r"^\+?[0-9][0-9 ().-]{5,30}$", "Tulis nomor telepon dengan angka, mis. 0274 123456."),
    "website": (r"^https?://[^\s]+\.[^\s]+$", "Tulis alamat lengkap, mulai dengan https://"),
    "document": (r"^https?://[^\s]+\.[^\s]+$", "Tulis alamat lengkap, mulai dengan https://"),
}
VISIBILITY = {"public": "Publik", "unlisted": "Tanpa daftar", "hidden": "Tersembunyi"}
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False, "picker_utc": True}


def _node(schema: dict, node: dict) -> dict:
    """A schema node without its null alternative and with its reference followed."""
    if "anyOf" in node:
        node = next((n for n in node["anyOf"] if n.get("type") != "null"), node["anyOf"][0])
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _options(path: str, node: dict, catalog) -> list[dict] | None:
    """The choices of a field, each shown by its Indonesian name and stored as the data's id."""
    if path == "pattern":
        return [{"label": p.name.id, "value": pid} for pid, p in catalog.patterns.items()]
    if path == "side":
        return [{"label": f"{s.label.id} ({p.name.id})", "value": s.id} for p in catalog.patterns.values() for s in p.sides]
    if path == "stage":
        return [{"label": f"{n}. {s.label.id}", "value": s.id} for n, s in enumerate(catalog.stages, start=1)]
    if path == "forms":
        return [{"label": f.label.id, "value": f.id} for f in catalog.forms]
    if path == "kind":
        return [{"label": names[0], "value": kind} for kind, names in KIND_LABELS.items()]
    if path == "region.province":
        return [{"label": p["name"], "value": p["name"]} for p in provinces()]
    if path == "visibility":
        return [{"label": VISIBILITY[v], "value": v} for v in node["enum"]]
    return None


def _field(schema: dict, path: str, node: dict, required: bool, catalog, labels: dict = LABELS) -> dict:
    label, hint = labels[path] if path in labels else I18N_LABELS[path.rsplit(".", 1)[-1]]
    out: dict = {"name": path.rsplit(".", 1)[-1], "label": label, "required": required}
    if hint:
        out["hint"] = hint
    node = _node(schema, node)
    options = _options(path, node, catalog) if labels is LABELS else None
    if options is None and "enum" in node:  # any other fixed list: its values, in the staff's words
        options = [{"label": CHOICE_WORDS.get(v, v), "value": v} for v in node["enum"]]
    kind = node.get("type")
    if path == "logo":
        out.update(widget="image", choose_url=False)
    elif options is not None:
        out.update(widget="select", options=options, multiple=kind == "array")
    elif kind == "object":
        # Decap requires an optional group's required fields even when the group is left empty: inside it they
        # are required only when it is filled in (portal-editor.js checks that before saving: `groups`).
        out.update(widget="object", collapsed=not required, fields=_fields(schema, path, node, catalog, optional=not required, labels=labels))
    elif kind == "array" and _node(schema, node["items"]).get("type") == "object":
        item = _node(schema, node["items"])
        out.update(widget="list", collapsed=True, fields=_fields(schema, path, item, catalog, labels=labels))
        out.update({k: node[m] for k, m in (("min", "minItems"), ("max", "maxItems")) if m in node})
    elif kind == "array":
        out.update(widget="list")
    elif kind == "boolean":
        out.update(widget="boolean", default=False)
    elif kind == "integer":
        out.update(widget="number", value_type="int")
    elif kind == "number":
        out.update(widget="number", value_type="float", **{k: node[m] for k, m in (("min", "minimum"), ("max", "maximum")) if m in node})
    elif node.get("format") == "date":
        out.update(DATE)
    elif path in ("description", "description_en"):
        out["widget"] = "text"  # Markdown typed as text: Decap's rich editor is not accessible (unnamed controls)
    else:
        longest = node.get("maxLength")
        out["widget"] = "text" if longest and longest > 200 else "string"
        shape = next((rule for suffix, rule in SHAPES.items() if path == suffix or path.endswith("." + suffix)), None)
        if shape:  # the same check as `validate`, said before saving
            out["pattern"] = list(shape)
        elif node.get("pattern"):  # an id: the schema's own rule
            out["pattern"] = [node["pattern"], "Huruf kecil, angka dan tanda hubung, mis. bagi-hasil."]
        elif longest:
            out["pattern"] = [f"^[\\s\\S]{{0,{longest}}}$", f"Paling banyak {longest} huruf."]
    return out


def _fields(schema: dict, prefix: str, node: dict, catalog, optional: bool = False, labels: dict = LABELS) -> list[dict]:
    required = set() if optional else set(node.get("required", ()))
    fields = []
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        if path in NOT_IN_FORM:
            continue
        # In the form a partner needs its province and side: only an imported draft may wait for them.
        needed = name in required or (labels is LABELS and path in ("side", "region.province"))
        fields.append(_field(schema, path, child, needed, catalog, labels))
    if prefix == "internal" and labels is LABELS:
        fields.append({"name": "notes", "label": LABELS["internal.notes"][0], "hint": LABELS["internal.notes"][1], "widget": "text", "required": False})
    return fields


def groups(catalog) -> dict[str, dict]:
    """Each optional group of fields (dotted path) with its label and the fields it needs once filled in (none
    for most): an empty group is left out of the file, a group filled in has what it needs."""
    schema = partner_schema(catalog)
    out: dict[str, dict] = {}

    def walk(prefix: str, node: dict, required_parent: bool) -> None:
        for name, child in node.get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            inner = _node(schema, child)
            if inner.get("type") != "object" or path in NOT_IN_FORM:
                continue
            needed = name in node.get("required", ()) and required_parent
            if not needed:
                out[path] = {"label": LABELS[path][0], "fields": {n: LABELS[f"{path}.{n}"][0] for n in inner.get("required", ())}}
            walk(path, inner, needed)

    walk("", schema, True)
    return out


def pattern_collection(catalog, data_dir: str = "partners") -> dict:
    """The patterns, one file each, edited in place: a new pattern is a new file (patterns/<id>.yml), made by
    hand once; it appears here with the next build."""
    from ..core.models import Pattern

    schema = Pattern.model_json_schema(mode="validation")
    return {
        "name": "patterns",
        "label": "Pola kemitraan",
        "label_singular": "Pola",
        "editor": {"preview": False},
        "files": [{"name": pid, "label": p.name.id, "file": f"{data_dir}/patterns/{pid}.yml",
                   "fields": _fields(schema, "", schema, catalog, labels=PATTERN_LABELS)} for pid, p in catalog.patterns.items()],
    }


def partner_collection(catalog) -> dict:
    """One collection over partners/: a file per partner, its slug the file name, every field of the schema."""
    schema = partner_schema(catalog)
    return {
        "name": "partners",
        "label": "Mitra",
        "label_singular": "Mitra",
        "folder": "partners",
        "extension": "yml",
        "format": "yml",
        "create": True,
        "identifier_field": "name",
        "slug": "{{slug}}",
        "summary": "{{name}}",
        "media_folder": "logos",
        "public_folder": "logos",
        "editor": {"preview": False},  # the site itself is the preview (after the check); Decap's frame has no title
        "fields": _fields(schema, "", schema, catalog),
    }


EDITOR = "admin"  # where the editor lives in the main edition: /admin/
_HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "editorwords")
VENDORED = {"decap-cms.js": "vendor/decap-cms.js", "LICENSE-decap-cms.txt": "vendor/LICENSE",
            "decap-cms.js.LICENSE.txt": "vendor/decap-cms.js.LICENSE.txt", "portal-editor.js": "portal-editor.js",
            "portal-editor.css": "portal-editor.css"}
MANUAL_INIT = "window.CMS_MANUAL_INIT = true;"  # portal-editor.js starts Decap once its words and rules are in
# Files beside the partners that are not partners: kept out of the editor's list of partners.
REFERENCE_FILES = ("forms.yml", "stages.yml", "search.yml")
GROUP_WORDS = {
    "id": "{group}: isi juga {fields}, atau kosongkan seluruhnya.",
    "en": "{group}: fill in {fields} too, or leave it all empty.",
}
SIDE_WORDS = {
    "id": "Pihak “{side}” bukan pihak pola yang dipilih; pilih salah satu: {sides}.",
    "en": "“{side}” is not a side of the pattern chosen; choose one of: {sides}.",
}


def vendored_digests() -> dict[int, frozenset[str]]:
    """The SHA-256 of each third-party file the editor publishes unchanged (Decap CMS and its licences), by
    its size: a check of the built site for private values may pass over a file with exactly these bytes
    (and hashes only a file of one of these sizes)."""
    out: dict[int, set[str]] = {}
    for name, source in VENDORED.items():
        if source.startswith("vendor/"):
            with open(os.path.join(_HERE, source), "rb") as fh:
                data = fh.read()
            out.setdefault(len(data), set()).add(hashlib.sha256(data).hexdigest())
    return {size: frozenset(digests) for size, digests in out.items()}


HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")
NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")


def backend(repository: str) -> dict | None:
    """Decap's backend for the data repository's address (GitHub, GitLab, or a Gitea/Forgejo host), or None."""
    try:
        parts = urlsplit(repository or "")
        host = parts.hostname or ""
    except ValueError:
        return None
    path = [p for p in parts.path.strip("/").removesuffix(".git").split("/") if p]
    # The host goes into the page's Content Security Policy: a plain host name and owner/name, or no editor.
    if parts.scheme != "https" or not HOST.fullmatch(host) or parts.port or len(path) != 2 or not all(NAME.fullmatch(p) for p in path):
        return None
    repo = "/".join(path)
    if host == "github.com":
        return {"name": "github", "repo": repo, "branch": "main"}
    if host == "gitlab.com":
        return {"name": "gitlab", "repo": repo, "branch": "main"}
    return {"name": "gitea", "repo": repo, "branch": "main", "base_url": f"https://{host}", "api_root": f"https://{host}/api/v1"}


def _api_host(chosen: dict) -> str:
    return {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}.get(chosen["name"]) or chosen["base_url"]


def editor_files(site, site_url: str, repository: str, organisation: str, data_dir: str = "partners") -> dict[str, bytes]:
    """The editor's files under admin/ (none without a data repository to edit): its page, its configuration,
    its words and rules, and Decap CMS with its licence."""
    chosen = backend(repository)
    if chosen is None:
        return {}
    config = {
        "backend": chosen,
        "locale": "id",
        "site_url": site_url,
        "display_url": site_url,
        "media_folder": f"{data_dir}/logos",
        "public_folder": "logos",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [{**partner_collection(site), "folder": data_dir, "media_folder": f"/{data_dir}/logos"},
                        pattern_collection(site, data_dir)],
    }
    with open(os.path.join(_HERE, "locale-id.json"), encoding="utf-8") as fh:
        locale = json.load(fh)
    portal = {
        "config": config,  # given to Decap whole (load_config_file: false): no YAML file whose type a host may get wrong
        "locale": locale,
        "sides": {pid: [s.id for s in p.sides] for pid, p in site.patterns.items()},
        "reference_files": [f"{data_dir}/{name}" for name in REFERENCE_FILES],
        "groups": groups(site),
        "words": {"side": SIDE_WORDS, "group": GROUP_WORDS},
    }
    files = {
        f"{EDITOR}/index.html": _page(organisation, _api_host(chosen)).encode("utf-8"),
        f"{EDITOR}/portal-editor.json": json.dumps(portal, ensure_ascii=False, sort_keys=True).encode("utf-8"),
    }
    for name, source in VENDORED.items():
        with open(os.path.join(_HERE, source), "rb") as fh:
            files[f"{EDITOR}/{name}"] = fh.read()
    return files


def _page(organisation: str, api: str) -> str:
    """The editor's page: nothing of the data in it (the editor reads it through the git host with the staff
    member's own access); no request anywhere but this site and the git host (its Content Security Policy)."""
    digest = base64.b64encode(hashlib.sha256(MANUAL_INIT.encode()).digest()).decode()
    policy = "; ".join([
        "default-src 'self'", f"script-src 'self' 'sha256-{digest}' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {api}", f"connect-src 'self' blob: data: {api}", "font-src 'self' data:",
        "frame-src 'self' blob:", "worker-src 'self' blob:", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
    ])
    title = html.escape(f"Penyunting data mitra – {organisation}")
    title_en = html.escape(f"Partner data editor – {organisation}")
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">
<title>{title}</title>
<script>{MANUAL_INIT}</script>
<script src="decap-cms.js"></script>
<script src="portal-editor.js"></script>
<link rel="stylesheet" href="portal-editor.css">
</head>
<body>
<main id="portal-signin" hidden>
<h1 data-en="{title_en}">{title}</h1>
<form>
<p><label for="portal-token" data-en="Your GitHub token">Token GitHub Anda</label><br>
<input id="portal-token" type="password" autocomplete="off" spellcheck="false" size="50"></p>
<p class="portal-signin__error" role="alert" hidden data-en="That is not a GitHub token: a token begins with github_pat_ (see the staff guide).">Itu bukan token GitHub: token dimulai dengan github_pat_ (lihat panduan staf).</p>
<p><button type="submit" data-en="Sign in">Masuk</button></p>
</form>
<p data-en="The token is kept in this browser only. How to make one is in the staff guide (STAFF.md).">Token disimpan di peramban ini saja. Cara membuatnya ada di panduan staf (STAFF.md).</p>
</main>
<noscript><p>Penyunting ini memerlukan JavaScript.</p></noscript>
</body>
</html>
"""
