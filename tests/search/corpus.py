"""The hand-written contract corpus: five cases with known words, codes, filters and principals."""

from __future__ import annotations

from datetime import UTC, datetime

from search.model import CatalogDocument, expand_codes

ADMIN = "role:administrator"
TRAINEE = "role:trainee"


def doc(case: str, title: str, *, kind: str = "current", **fields: object) -> CatalogDocument:
    """A catalog document with defaults; `codes` become curriculum codes with ancestors."""
    codes: tuple[str, ...] = tuple(fields.pop("codes", ()))  # type: ignore[arg-type]
    allowed: tuple[str, ...] = tuple(fields.pop("allowed", (TRAINEE,)))  # type: ignore[arg-type]
    created = fields.pop("created", datetime(2024, 1, 1, tzinfo=UTC))
    return CatalogDocument(
        doc_id=f"{case}:{kind}",
        case_id=case,
        version=int(fields.pop("version", 1)),  # type: ignore[call-overload]
        title=title,
        curriculum_codes=codes,
        curriculum_expanded=expand_codes(codes),
        curriculum_titles=tuple(TITLES.get(c, "") for c in expand_codes(codes) if c in TITLES),
        allowed=(ADMIN, *allowed),
        created=created,  # type: ignore[arg-type]
        modified=created,  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


TITLES = {
    "CHEST": "Chest radiology",
    "CHEST.PLEURA.PNEUMOTHORAX": "Pneumothorax",
    "CHEST.VASCULAR.PE": "Pulmonary embolism",
    "NEURO": "Neuroradiology",
    "NEURO.STROKE": "Stroke",
    "NEURO.STROKE.ISCHAEMIC": "Ischaemic stroke",
    "NEURO.STROKE.HAEMORRHAGIC": "Haemorrhagic stroke",
    "MSK.TRAUMA.SCAPHOID": "Scaphoid fracture",
}


def _at(month: int) -> datetime:
    return datetime(2024, month, 1, tzinfo=UTC)


CORPUS = (
    doc(
        "case-a",
        "Right tension pneumothorax",
        clinical_history="Young man with sudden chest pain and dyspnoea.",
        findings="Large right pneumothorax with mediastinal shift.",
        diagnosis="Tension pneumothorax",
        differential_diagnoses=("Giant bulla",),
        tags=("pneumothorax", "emergency"),
        codes=("CHEST.PLEURA.PNEUMOTHORAX",),
        modalities=("CR",),
        body_regions=("CHEST",),
        difficulty="FOUNDATION",
        state="VALIDATED",
        collection_path="/north/leeds",
        created=_at(1),
    ),
    doc(
        "case-b",
        "Acute PE on CTPA",
        clinical_history="Post-operative patient with pleuritic chest pain.",
        findings="Filling defects in the segmental pulmonary arteries.",
        diagnosis="Pulmonary embolism",
        tags=("vascular",),
        codes=("CHEST.VASCULAR.PE",),
        modalities=("CT",),
        body_regions=("CHEST",),
        difficulty="INTERMEDIATE",
        state="VALIDATED",
        collection_path="/north/york",
        created=_at(2),
    ),
    doc(
        "case-c",
        "Subarachnoid haemorrhage",
        clinical_history="Thunderclap headache while lifting weights.",
        findings="Hyperdense blood in the basal cisterns consistent with SAH.",
        diagnosis="Subarachnoid haemorrhage from a ruptured aneurysm",
        tags=("neurosurgical",),
        codes=("NEURO.STROKE.HAEMORRHAGIC",),
        modalities=("CT",),
        body_regions=("HEAD",),
        difficulty="ADVANCED",
        state="SUBMITTED",
        collection_path="/north/leeds/neuro",
        created=_at(3),
        allowed=("role:trainer", "user:u1"),
    ),
    doc(
        "case-d",
        "Ischaemic stroke in the MCA territory",
        clinical_history="Sudden left sided weakness.",
        findings="Loss of grey-white differentiation; MRI shows DWI restriction.",
        diagnosis="Ischaemic stroke",
        tags=("stroke",),
        codes=("NEURO.STROKE.ISCHAEMIC",),
        modalities=("CT", "MR"),
        body_regions=("HEAD",),
        difficulty="INTERMEDIATE",
        state="DRAFT",
        collection_path="/south/bristol",
        created=_at(4),
        allowed=("cohort:c1",),
    ),
    doc(
        "case-e",
        "Scaphoid fracture",
        clinical_history="Fall onto outstretched hand; chest clear.",
        findings="Lucent line through the scaphoid waist.",
        diagnosis="Scaphoid fracture",
        discussion="Beware <script>alert(1)</script> occult scaphoid fractures: repeat imaging.",
        codes=("MSK.TRAUMA.SCAPHOID",),
        modalities=("CR",),
        body_regions=("UPPER_LIMB",),
        difficulty="FOUNDATION",
        state="VALIDATED",
        collection_path="/south/bristol",
        created=_at(5),
    ),
)
BY_CASE = {d.case_id: d for d in CORPUS}
