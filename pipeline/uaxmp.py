"""Stage 6a — PDF/UA identification in an archival edition's XMP (PDF/A extension schema).

PDF/UA-1 (ISO 14289-1, 5) asks for `pdfuaid:part` in the document's XMP; PDF/A-3
(ISO 19005-3, 6.6.2.3.2) allows a property outside its predefined schemas only when an
extension schema describing it is embedded in the same packet. Both go into the edition's
single rdf:RDF element, next to the PDF/A identification.
"""

from __future__ import annotations

from xml.etree import ElementTree

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {"pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
      "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
      "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
      "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#"}
for _prefix, _uri in NS.items():
    ElementTree.register_namespace(_prefix, _uri)


def _q(prefix: str, name: str) -> str:
    return f"{{{RDF if prefix == 'rdf' else NS[prefix]}}}{name}"


def _resource(parent: ElementTree.Element, fields: dict[str, str]) -> ElementTree.Element:
    item = ElementTree.SubElement(parent, _q("rdf", "li"), {_q("rdf", "parseType"): "Resource"})
    for key, value in fields.items():
        prefix, name = key.split(":")
        ElementTree.SubElement(item, _q(prefix, name)).text = value
    return item


def add_pdfua_identification(rdf: ElementTree.Element, part: int = 1) -> None:
    """`pdfuaid:part` and the extension schema that declares it, into `rdf` (rdf:RDF)."""
    about = {_q("rdf", "about"): ""}
    schemas = ElementTree.SubElement(ElementTree.SubElement(rdf, _q("rdf", "Description"), about),
                                     _q("pdfaExtension", "schemas"))
    schema = _resource(ElementTree.SubElement(schemas, _q("rdf", "Bag")), {
        "pdfaSchema:schema": "PDF/UA Universal Accessibility Schema",
        "pdfaSchema:namespaceURI": NS["pdfuaid"],
        "pdfaSchema:prefix": "pdfuaid"})
    listed = ElementTree.SubElement(schema, _q("pdfaSchema", "property"))
    properties = ElementTree.SubElement(listed, _q("rdf", "Seq"))
    _resource(properties, {
        "pdfaProperty:name": "part",
        "pdfaProperty:valueType": "Integer",
        "pdfaProperty:category": "internal",
        "pdfaProperty:description": "Indicates, which part of ISO 14289 standard is followed"})
    identification = ElementTree.SubElement(rdf, _q("rdf", "Description"), about)
    ElementTree.SubElement(identification, _q("pdfuaid", "part")).text = str(part)
