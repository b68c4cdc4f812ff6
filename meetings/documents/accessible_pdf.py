"""What WeasyPrint's tagged PDF still lacks for PDF/UA-1 (ISO 14289-1), finished on
the PDF it has built, before it is written (`finish`, WeasyPrint's finisher):

- the running heads and feet (the organisation, the document, "Sida 1 av 4") are
  marked as page content with an MCID but hang outside the structure tree: they are
  turned into artifacts, which is what repeated page furniture is;
- a table header cell (TH) says whom it heads (/Scope /Row or /Column);
- the metadata says the document is PDF/UA-1 (pdfuaid:part), with the PDF/A
  extension schema that a PDF/A file needs for a property outside PDF/A's own.

The seal's form field is named and tagged where it is made (meetings.documents.sealing).
tests/pdf_ua.py checks the rules offline on every kind of document.
"""

import pydyf

# The pdfuaid schema declared for PDF/A (ISO 19005-3, 6.6.2.3: a property of a schema
# that PDF/A does not predefine is described in the file itself).
PDF_UA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource"><pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema><pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI><pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType><pdfaProperty:category>internal</pdfaProperty:category><pdfaProperty:description>Indicates which part of ISO 14289 the document conforms to</pdfaProperty:description></rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
"""


def finish(document, pdf: pydyf.PDF) -> None:
    _each_associated_file_once(pdf)
    if "StructTreeRoot" not in pdf.catalog:  # not tagged: nothing to finish
        return
    reachable = _reachable(pdf)
    _running_heads_as_artifacts(pdf, reachable)
    _table_header_scopes(pdf, reachable)
    _declare_pdf_ua(pdf)


def _each_associated_file_once(pdf) -> None:
    """WeasyPrint's PDF/A-3 lists an embedded file in the catalogue's /AF twice (from
    the names tree and again from the file specification): once is what PDF/A says."""
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))


def _object(pdf, reference):
    """The object a reference (b"12 0 R") names, or None for anything else."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return pdf.objects[int(reference.split()[0])]
    return None


def _reachable(pdf) -> dict[int, pydyf.Dictionary]:
    """The structure elements under the root, by object number."""
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    found, pending = {}, list(root["K"])
    while pending:
        element = _object(pdf, pending.pop())
        if element is None or element.number in found or element.get("Type") != "/StructElem":
            continue
        found[element.number] = element
        pending.extend(element.get("K", ()))
    return found


def _running_heads_as_artifacts(pdf, reachable) -> None:
    """Marked content whose structure element is not in the tree becomes an artifact
    (WeasyPrint builds the margin boxes' elements but leaves them out of the tree);
    its entry in the parent tree is emptied."""
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    nums = _object(pdf, root["ParentTree"])["Nums"]
    for page_reference in pdf.page_references:
        page = _object(pdf, page_reference)
        position = nums.index(page["StructParents"]) if "StructParents" in page else -1
        if position < 0:
            continue
        elements = nums[position + 1]
        loose = {
            mcid
            for mcid, reference in enumerate(elements)
            if (element := _object(pdf, reference)) is not None and element.number not in reachable
        }
        if not loose:
            continue
        stream = _object(pdf, page["Contents"]).stream
        for at, item in enumerate(stream):
            if (
                isinstance(item, pydyf.Dictionary)
                and item.get("MCID") in loose
                and at + 1 < len(stream)
                and stream[at + 1] == b"BDC"
            ):
                stream[at - 1], stream[at], stream[at + 1] = "/Artifact", b"", b"BMC"
        for mcid in loose:
            elements[mcid] = "null"


def _table_header_scopes(pdf, reachable) -> None:
    """A TH in a row with data cells heads that row; otherwise its column (what HTML's
    own scope rules say for the tables Paragraf prints)."""
    for element in reachable.values():
        if element.get("S") != "/TH":
            continue
        row = _object(pdf, element["P"])
        kinds = {_object(pdf, kid).get("S") for kid in row.get("K", ()) if _object(pdf, kid)}
        attributes = element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
        attributes["Scope"] = "/Row" if "/TD" in kinds else "/Column"


def _declare_pdf_ua(pdf) -> None:
    metadata = _object(pdf, pdf.catalog.get("Metadata"))
    if metadata is None:
        return
    xmp = b"".join(part for part in metadata.stream if isinstance(part, bytes))
    metadata.stream[:] = [canonical_xmp(xmp)]
    # PDF/A: the metadata stream is not compressed (ISO 19005-3, 6.6.2.1).
    metadata.compress = False


_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def _xmp_value(root, prefix: str, name: str) -> str:
    """A simple property of the XMP, written as an element or as an attribute."""
    tag = f"{{{_NS[prefix]}}}{name}"
    for description in root.iter(f"{{{_NS['rdf']}}}Description"):
        if tag in description.attrib:
            return description.attrib[tag]
        element = description.find(tag)
        if element is not None:
            li = element.find(f".//{{{_NS['rdf']}}}li")
            return (li.text if li is not None else element.text) or ""
    return ""


def canonical_xmp(xmp: bytes) -> bytes:
    """The XMP in one plain form that every PDF/A validator reads: each schema in a
    Description of its own that declares its namespace, every property an element
    (WeasyPrint writes some as attributes, with the namespaces on rdf:RDF), the
    PDF/UA identification and its PDF/A extension schema (PDF_UA_XMP)."""
    from xml.etree import ElementTree
    from xml.sax.saxutils import escape

    body = xmp[xmp.index(b"<x:xmpmeta") : xmp.rindex(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")]
    root = ElementTree.fromstring(body)
    value = {
        (prefix, name): escape(_xmp_value(root, prefix, name))
        for prefix, name in (
            ("pdfaid", "part"), ("pdfaid", "conformance"), ("dc", "title"), ("pdf", "Producer"),
            ("xmp", "CreatorTool"), ("xmp", "CreateDate"), ("xmp", "ModifyDate"),
        )
    }  # fmt: skip
    parts = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        f'<rdf:RDF xmlns:rdf="{_NS["rdf"]}">',
        f'<rdf:Description rdf:about="" xmlns:pdfaid="{_NS["pdfaid"]}">'
        f"<pdfaid:part>{value['pdfaid', 'part'] or '3'}</pdfaid:part>"
        f"<pdfaid:conformance>{value['pdfaid', 'conformance'] or 'A'}</pdfaid:conformance>"
        "</rdf:Description>",
        f'<rdf:Description rdf:about="" xmlns:dc="{_NS["dc"]}"><dc:title><rdf:Alt>'
        f'<rdf:li xml:lang="x-default">{value["dc", "title"]}</rdf:li></rdf:Alt></dc:title>'
        "</rdf:Description>",
        f'<rdf:Description rdf:about="" xmlns:pdf="{_NS["pdf"]}">'
        f"<pdf:Producer>{value['pdf', 'Producer']}</pdf:Producer></rdf:Description>",
    ]
    # The dates and the creating tool only when the document has them (the document
    # information dictionary must say the same: ISO 19005-3, 6.6.2.3.1).
    times = "".join(
        f"<xmp:{name}>{value['xmp', name]}</xmp:{name}>"
        for name in ("CreatorTool", "CreateDate", "ModifyDate")
        if value["xmp", name]
    )
    if times:
        parts.append(
            f'<rdf:Description rdf:about="" xmlns:xmp="{_NS["xmp"]}">{times}</rdf:Description>'
        )
    return (
        "\n".join(parts).encode("utf-8")
        + b"\n"
        + PDF_UA_XMP
        + b"</rdf:RDF>\n</x:xmpmeta>\n"
        + b'<?xpacket end="r"?>'
    )
