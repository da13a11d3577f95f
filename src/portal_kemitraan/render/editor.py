"""The staff's web editor's partner form (Decap CMS's configuration format), from the partner JSON Schema and the public data."""

from __future__ import annotations

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
# Written by the commands, read by them: kept as they are in the file, not shown in the form.
NOT_IN_FORM = ("internal.screening", "internal.import_problems", "internal.imported_from", "internal.imported_on", "internal.received")
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


def _field(schema: dict, path: str, node: dict, required: bool, catalog) -> dict:
    label, hint = LABELS[path]
    out: dict = {"name": path.rsplit(".", 1)[-1], "label": label, "required": required}
    if hint:
        out["hint"] = hint
    node = _node(schema, node)
    options = _options(path, node, catalog)
    kind = node.get("type")
    if path == "logo":
        out.update(widget="image", choose_url=False)
    elif options is not None:
        out.update(widget="select", options=options, multiple=kind == "array")
    elif kind == "object":
        out.update(widget="object", collapsed=not required, fields=_fields(schema, path, node, catalog))
    elif kind == "array" and _node(schema, node["items"]).get("type") == "object":
        item = _node(schema, node["items"])
        out.update(widget="list", collapsed=True, fields=_fields(schema, path, item, catalog))
    elif kind == "array":
        out.update(widget="list")
    elif kind == "boolean":
        out.update(widget="boolean", default=False)
    elif kind == "number":
        out.update(widget="number", value_type="float", **{k: node[m] for k, m in (("min", "minimum"), ("max", "maximum")) if m in node})
    elif node.get("format") == "date":
        out.update(DATE)
    elif path in ("description", "description_en"):
        out.update(widget="markdown", buttons=["bold", "italic", "link", "heading-three", "bulleted-list", "numbered-list"],
                   editor_components=[], modes=["rich_text", "raw"])
    else:
        longest = node.get("maxLength")
        out["widget"] = "text" if longest and longest > 200 else "string"
        if longest:  # the same limit as `validate`, said before saving
            out["pattern"] = [f"^[\\s\\S]{{0,{longest}}}$", f"Paling banyak {longest} huruf."]
    return out


def _fields(schema: dict, prefix: str, node: dict, catalog) -> list[dict]:
    required = set(node.get("required", ()))
    fields = []
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        if path in NOT_IN_FORM:
            continue
        # In the form a partner needs its province and side: only an imported draft may wait for them.
        fields.append(_field(schema, path, child, name in required or path in ("side", "region.province"), catalog))
    if prefix == "internal":
        fields.append({"name": "notes", "label": LABELS["internal.notes"][0], "hint": LABELS["internal.notes"][1], "widget": "text", "required": False})
    return fields


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
        "fields": _fields(schema, "", schema, catalog),
    }
