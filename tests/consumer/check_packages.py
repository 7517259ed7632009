#!/usr/bin/python3
"""Checks the packages that run.sh packed, as a user (and nuget.org) would see them.

    check_packages.py FEED VERSION

FEED must hold exactly Aria.Metrics.{Core,Server,Catalog} VERSION, each as .nupkg and .snupkg. Each package carries
its assembly with XML docs, a readme, LICENSE and NOTICE, the Apache-2.0 expression, the git commit it was built
from; its symbols package carries the PDB with the sources embedded. At run time it depends on nothing but the .NET
shared frameworks and, for Server and Catalog, Aria.Metrics.Core. Prints one line per package; exits 1 on a problem.
"""
import io
import os
import sys
import xml.etree.ElementTree as ET
import zipfile

# What each package may depend on at run time: other packages, and shared frameworks.
EXPECTED = {
    "Aria.Metrics.Core": ([], []),
    "Aria.Metrics.Catalog": (["Aria.Metrics.Core"], []),
    "Aria.Metrics.Server": (["Aria.Metrics.Core"], ["Microsoft.AspNetCore.App"]),
}


def local(tag):
    return tag.rsplit("}", 1)[-1]


def check(feed, version, name, problems):
    nupkg = os.path.join(feed, f"{name}.{version}.nupkg")
    snupkg = os.path.join(feed, f"{name}.{version}.snupkg")
    with zipfile.ZipFile(nupkg) as z:
        files = set(z.namelist())
        nuspec = ET.fromstring(z.read(f"{name}.nuspec"))
        for required in (f"lib/net10.0/{name}.dll", f"lib/net10.0/{name}.xml", "README.md", "LICENSE", "NOTICE"):
            if required not in files:
                problems.append(f"{name}: {required} is not in the package")
        if "Apache License" not in z.read("LICENSE").decode("utf-8", "replace")[:200]:
            problems.append(f"{name}: LICENSE is not the Apache License text")
    meta = next(e for e in nuspec if local(e.tag) == "metadata")
    fields = {local(e.tag): e for e in meta}
    license_ = fields.get("license")
    if license_ is None or license_.get("type") != "expression" or license_.text != "Apache-2.0":
        problems.append(f"{name}: license expression is not Apache-2.0")
    if getattr(fields.get("readme"), "text", None) != "README.md":
        problems.append(f"{name}: no readme declared")
    repository = fields.get("repository")
    commit = repository.get("commit", "") if repository is not None else ""
    if len(commit) != 40:
        problems.append(f"{name}: the repository element names no git commit")
    packages = sorted(d.get("id") for d in meta.iter() if local(d.tag) == "dependency")
    frameworks = sorted(f.get("name") for f in meta.iter() if local(f.tag) == "frameworkReference")
    if (packages, frameworks) != EXPECTED[name]:
        problems.append(f"{name}: depends on packages {packages} and frameworks {frameworks}, expected {EXPECTED[name]}")
    with zipfile.ZipFile(snupkg) as z:
        pdb = f"lib/net10.0/{name}.pdb"
        if pdb not in z.namelist():
            problems.append(f"{name}: {pdb} is not in the symbols package")
        else:
            missing, documents = documents_without_embedded_source(z.read(pdb))
            if documents == 0 or missing:
                problems.append(f"{name}: {missing} of the PDB's {documents} source documents are not embedded")
    print(f"{name} {version}: packages {packages or 'none'}, frameworks {frameworks or 'none'}, commit {commit[:12]}")


# Portable PDB (ECMA-335 metadata plus the tables of the Portable PDB spec), read just far enough to pair each source
# document with its EmbeddedSource custom debug information.
EMBEDDED_SOURCE = bytes.fromhex("1B578A0E26696E46B4AD8AB04611F5FE")  # {0E8A571B-6926-466E-B4AD-8AB04611F5FE}
DOCUMENT, CUSTOM_DEBUG_INFORMATION = 0x30, 0x37
# Tables a HasCustomDebugInformation coded index can point at, in tag order (Document is tag 22).
HAS_CDI = [0x06, 0x04, 0x01, 0x02, 0x08, 0x09, 0x0A, 0x00, 0x0E, 0x17, 0x14, 0x11, 0x1A, 0x1B, 0x20, 0x23, 0x26,
           0x27, 0x28, 0x2A, 0x2C, 0x2B, 0x30, 0x32, 0x33, 0x34, 0x35]


def documents_without_embedded_source(pdb):
    """How many of the PDB's source documents lack an embedded copy, and how many documents there are."""
    u16 = lambda o: int.from_bytes(pdb[o:o + 2], "little")
    u32 = lambda o: int.from_bytes(pdb[o:o + 4], "little")
    if u32(0) != 0x424A5342:
        raise ValueError("not a portable PDB")
    at = 16 + u32(12)  # past the version string: flags (2 bytes), then the number of streams
    count, at = u16(at + 2), at + 4
    streams = {}
    for _ in range(count):
        end = pdb.index(b"\0", at + 8)
        streams[pdb[at + 8:end].decode()] = (u32(at), u32(at + 4))
        at += 8 + ((end - (at + 8) + 1 + 3) & ~3)
    rows = {}
    pdb_stream = streams["#Pdb"][0]
    referenced = int.from_bytes(pdb[pdb_stream + 24:pdb_stream + 32], "little")
    at = pdb_stream + 32
    for table in range(64):
        if referenced >> table & 1:
            rows[table], at = u32(at), at + 4
    tables = streams["#~"][0]
    heaps, valid = pdb[tables + 6], int.from_bytes(pdb[tables + 8:tables + 16], "little")
    at = tables + 24
    for table in range(64):
        if valid >> table & 1:
            rows[table], at = u32(at), at + 4
    string, guid, blob = (4 if heaps & bit else 2 for bit in (1, 2, 4))
    index = lambda t: 4 if rows.get(t, 0) >= 1 << 16 else 2
    has_cdi = 4 if max(rows.get(t, 0) for t in HAS_CDI) >= 1 << 11 else 2
    widths = {  # row widths of the Portable PDB tables, in table order
        0x30: blob + guid + blob + guid,
        0x31: index(0x30) + blob,
        0x32: index(0x06) + index(0x35) + index(0x33) + index(0x34) + 8,
        0x33: 4 + string,
        0x34: string + blob,
        0x35: index(0x35) + blob,
        0x36: 2 * index(0x06),
    }
    for table in range(DOCUMENT, CUSTOM_DEBUG_INFORMATION):
        at += rows.get(table, 0) * widths[table]
    guids = streams["#GUID"][0]
    read = lambda o, width: u32(o) if width == 4 else u16(o)
    embedded = set()
    for _ in range(rows.get(CUSTOM_DEBUG_INFORMATION, 0)):
        parent, kind = read(at, has_cdi), read(at + has_cdi, guid)
        at += has_cdi + guid + blob
        if parent & 31 == 22 and pdb[guids + 16 * (kind - 1):guids + 16 * kind] == EMBEDDED_SOURCE:
            embedded.add(parent >> 5)
    documents = rows.get(DOCUMENT, 0)
    return documents - len(embedded & set(range(1, documents + 1))), documents


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    feed, version = argv[1], argv[2]
    expected = sorted(f"{n}.{version}.{ext}" for n in EXPECTED for ext in ("nupkg", "snupkg"))
    present = sorted(os.listdir(feed))
    if present != expected:
        print(f"FAIL the folder holds {present}, expected {expected}")
        return 1
    problems = []
    for name in EXPECTED:
        check(feed, version, name, problems)
    for p in problems:
        print(f"FAIL {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
