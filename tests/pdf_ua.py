"""An offline check of the PDF/UA-1 (ISO 14289-1) rules that can be decided from a
file alone, after the Matterhorn Protocol's machine-checkable failure conditions:
what the tests hold every document Paragraf makes to (protocol, kallelse, utdrag,
rättelse). It reads the file with pypdf, independently of how it was made.

`problems(pdf)` lists each failure as "<checkpoint>: <what>", empty when none."""

import io
import re

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject

# Operators that paint: text, external objects, inline images, paths, shadings.
PAINTING = {"Tj", "TJ", "'", '"', "Do", "BI", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s",
            "sh"}  # fmt: skip
STANDARD_TYPES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}  # fmt: skip


def _key(ref) -> tuple | None:
    return (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else None


def _attributes(element) -> list[DictionaryObject]:
    found = element.get("/A")
    if found is None:
        return []
    found = found.get_object()
    items = found if isinstance(found, ArrayObject) else [found]
    return [a.get_object() for a in items if isinstance(a.get_object(), DictionaryObject)]


def problems(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    out = []

    # 06-002, 07-001: the document says it is PDF/UA and is a tagged PDF.
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data().decode("utf-8", "replace") if metadata else ""
    if not re.search(r"pdfuaid:part(>|=\")\s*1", xmp):
        out.append("06-002: the XMP metadata has no PDF/UA identifier (pdfuaid:part 1)")
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        out.append("01-002: /MarkInfo /Marked is not true")
    # 07-001, 07-002: a title, shown as the window's title.
    if not re.search(r"<dc:title[^>]*>.*?<rdf:li[^>]*>\s*\S", xmp, re.S):
        out.append("06-003: the XMP metadata has no dc:title")
    if not (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        out.append("07-002: /ViewerPreferences /DisplayDocTitle is not true")
    # 11-001: the natural language.
    if not str(root.get("/Lang", "")).strip():
        out.append("11-001: the catalogue has no /Lang")

    tree = root.get("/StructTreeRoot")
    if tree is None:
        return [*out, "01-005: no structure tree"]
    tree = tree.get_object()

    # The structure elements reachable from the root, and what they hold.
    reachable: dict[tuple, DictionaryObject] = {}
    parent_of: dict[tuple, tuple] = {}
    pending = list(
        ArrayObject([tree["/K"]]) if not isinstance(tree["/K"], ArrayObject) else tree["/K"]
    )
    parents = [None] * len(pending)
    annotated: set[tuple] = set()  # annotations referenced by OBJR from a reachable element
    annotation_owner: dict[tuple, str] = {}
    while pending:
        ref, parent = pending.pop(), parents.pop()
        key = _key(ref)
        if key is None or key in reachable:
            continue
        element = ref.get_object()
        if element.get("/Type") == "/OBJR":
            annotated.add(_key(element.raw_get("/Obj")))
            annotation_owner[_key(element.raw_get("/Obj"))] = str(
                reachable[parent].get("/S", "") if parent else ""
            )
            continue
        reachable[key] = element
        parent_of[key] = parent
        kids = element.get("/K")
        if kids is None:
            continue
        kids = element.raw_get("/K")
        kids = (
            kids.get_object()
            if isinstance(kids, IndirectObject) and isinstance(kids.get_object(), ArrayObject)
            else kids
        )
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, IndirectObject):
                pending.append(kid)
                parents.append(key)
            elif isinstance(kid, DictionaryObject) and kid.get("/Type") == "/OBJR":
                annotated.add(_key(kid.raw_get("/Obj")))
                annotation_owner[_key(kid.raw_get("/Obj"))] = str(element.get("/S", ""))

    role_map = tree.get("/RoleMap") or {}
    headings = []
    for key, element in reachable.items():
        kind = str(element.get("/S", ""))[1:]
        if kind not in STANDARD_TYPES and f"/{kind}" not in role_map:
            out.append(f"02-001: structure type /{kind} is neither standard nor role-mapped")
        # 15-003: a table header cell says what it heads.
        if kind == "TH" and not any("/Scope" in a for a in _attributes(element)):
            out.append(f"15-003: a TH (object {key[0]}) has no /Scope attribute")
        # 13-004: a figure has alternative text.
        if kind == "Figure" and not element.get("/Alt"):
            out.append(f"13-004: a Figure (object {key[0]}) has no /Alt")
        if re.fullmatch(r"H[1-6]", kind):
            headings.append(int(kind[1]))

    # 14-002/14-003: headings start at H1 and skip no level (in the tree's order the
    # levels met only ever go one deeper at a time). Order is not kept in a dict
    # walk, so the set of levels is checked: no level without the one above it.
    for level in set(headings):
        if level > 1 and level - 1 not in headings:
            out.append(f"14-003: heading level H{level} without H{level - 1}")

    # The parent tree: MCID -> structure element, per page.
    nums = []
    parent_tree = tree["/ParentTree"].get_object()
    pending_trees = [parent_tree]
    while pending_trees:
        node = pending_trees.pop()
        nums.extend(node.get("/Nums", []))
        pending_trees.extend(k.get_object() for k in node.get("/Kids", []))
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}

    for number, page in enumerate(reader.pages):
        mcids = by_key.get(int(page.get("/StructParents", -1)))
        mcids = mcids.get_object() if mcids is not None else ArrayObject()
        stack: list[str] = []
        contents = page.get_contents()  # a stream object is falsy: its dictionary is empty
        content = ContentStream(contents, reader) if contents is not None else None
        for operands, operator in content.operations if content is not None else []:
            op = operator.decode("latin-1")
            if op in ("BMC", "BDC"):
                tag = str(operands[0])
                if op == "BDC" and tag != "/Artifact":
                    properties = operands[1]
                    if isinstance(properties, NameObject):  # named in /Properties
                        properties = page["/Resources"]["/Properties"][properties]
                    mcid = properties.get_object().get("/MCID")
                    if mcid is None:
                        stack.append("untagged")
                        continue
                    target = mcids[int(mcid)] if int(mcid) < len(mcids) else None
                    if _key(target) not in reachable:
                        # 01-003: content neither an artifact nor in the structure.
                        out.append(
                            f"01-003: page {number + 1}, MCID {mcid} is not in the structure tree"
                        )
                    stack.append("tagged")
                else:
                    stack.append("artifact" if tag == "/Artifact" else "untagged")
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op in PAINTING and not ({"tagged", "artifact"} & set(stack)):
                out.append(
                    f"01-004: page {number + 1}: '{op}' paints outside tagged content and artifacts"
                )
        # 28-xxx: annotations are in the structure, as Link or Form (or Annot).
        annotations = page.get("/Annots") or []
        if annotations and page.get("/Tabs") != "/S":
            out.append(f"28-002: page {number + 1} has annotations but no /Tabs /S")
        for ref in annotations:
            annotation = ref.get_object()
            subtype = annotation.get("/Subtype")
            if subtype in ("/Popup", "/PrinterMark"):
                continue
            owner = annotation_owner.get(_key(ref))
            if _key(ref) not in annotated:
                out.append(
                    f"28-002: page {number + 1}: a {subtype} annotation is not in "
                    "the structure tree"
                )
            elif subtype == "/Widget" and owner != "/Form":
                out.append(f"28-010: a widget annotation is in a {owner}, not a /Form")
            elif subtype == "/Link" and owner != "/Link":
                out.append(f"28-011: a link annotation is in a {owner}, not a /Link")
            if "/StructParent" not in annotation:
                out.append(
                    f"28-002: page {number + 1}: a {subtype} annotation has no /StructParent"
                )
            if subtype == "/Widget":
                field = annotation.get("/Parent", annotation).get_object()
                if not str(field.get("/TU", "")).strip():
                    out.append(
                        "28-005: a form field (" + str(field.get("/T")) + ") has no "
                        "/TU (a name for assistive technology)"
                    )
            elif subtype != "/Widget" and not str(annotation.get("/Contents", "")).strip():
                out.append(f"28-004: a {subtype} annotation has no /Contents")

    # 31-xxx: every font is embedded.
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for name, font in fonts.items():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for d in descendants:
                descriptor = d.get("/FontDescriptor") or {}
                descriptor = descriptor.get_object() if descriptor else {}
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    out.append(f"31-001: font {name} is not embedded")
    return sorted(set(out))
