// The dicomweb-client npm package (the one OHIF uses) against a live Lightbox: search, metadata,
// frames and bulk data. Node has no XMLHttpRequest, the browser API the package calls: xhr2 is it.
// Usage: node check.mjs URL TOKEN STUDY SERIES SOP FRAMES ; prints one JSON line of what it got.
import { createHash } from "node:crypto";
import XMLHttpRequest from "xhr2";
import dicomweb from "dicomweb-client";

globalThis.XMLHttpRequest = XMLHttpRequest;
const [url, token, studyInstanceUID, seriesInstanceUID, sopInstanceUID, frames] = process.argv.slice(2);
const client = new dicomweb.api.DICOMwebClient({ url, headers: { Authorization: `Bearer ${token}` } });
const sha = (buffer) => createHash("sha256").update(new Uint8Array(buffer)).digest("hex");

const studies = await client.searchForStudies({ queryParams: { includefield: "StudyDescription" } });
const instances = await client.searchForInstances({ studyInstanceUID, queryParams: { includefield: "ImagePositionPatient" } });
const [metadata] = await client.retrieveInstanceMetadata({ studyInstanceUID, seriesInstanceUID, sopInstanceUID });
const frameNumbers = frames.split(",").map(Number);
const got = await client.retrieveInstanceFrames({ studyInstanceUID, seriesInstanceUID, sopInstanceUID, frameNumbers });
const bulk = [];
for (const [tag, attr] of Object.entries(metadata)) {
  if (attr.BulkDataURI && tag !== "7FE00010") {
    const parts = await client.retrieveBulkData({ BulkDataURI: attr.BulkDataURI });
    bulk.push({ tag, sha: sha(parts[0]) });
  }
}
console.log(JSON.stringify({
  studies: studies.map((s) => s["0020000D"].Value[0]),
  positions: instances.filter((i) => i["00200032"]).length,
  transferSyntax: metadata["00020010"].Value[0],
  frames: got.map(sha),
  bulk,
}));
