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
    if b"pdfuaid" not in xmp:
        metadata.stream[:] = [xmp.replace(b"</rdf:RDF>", PDF_UA_XMP + b"</rdf:RDF>", 1)]
