"""Synthetic catalog documents for tests and benchmarks: realistic lengths, Zipf-like words.

    docs = synthetic_documents(100_000, curriculum={"NEURO.STROKE.ISCHAEMIC": "Ischaemic stroke", ...})

Curriculum codes (and their titles) come from the caller, e.g. the sample curriculum.
The same seed always yields the same documents.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from search.model import CatalogDocument, expand_codes

_CORE = [
    "mass",
    "lesion",
    "enhancement",
    "oedema",
    "haemorrhage",
    "infarct",
    "fracture",
    "effusion",
    "consolidation",
    "nodule",
    "opacity",
    "collapse",
    "pneumothorax",
    "aneurysm",
    "stenosis",
    "occlusion",
    "thrombus",
    "embolism",
    "abscess",
    "cyst",
    "tumour",
    "metastasis",
    "lymphadenopathy",
    "calcification",
    "atelectasis",
    "cardiomegaly",
    "hydrocephalus",
    "herniation",
    "dissection",
    "perforation",
    "obstruction",
    "ischaemia",
    "contusion",
    "laceration",
    "avulsion",
    "dislocation",
    "sclerosis",
    "erosion",
    "stricture",
    "fistula",
    "diverticulitis",
    "appendicitis",
    "cholecystitis",
    "pancreatitis",
    "pyelonephritis",
    "hydronephrosis",
    "splenomegaly",
    "hepatomegaly",
    "cirrhosis",
    "steatosis",
    "ascites",
    "pleural",
    "pericardial",
    "mediastinal",
    "hilar",
    "apical",
    "basal",
    "lobar",
    "segmental",
    "cortical",
    "subcortical",
    "periventricular",
    "intraventricular",
    "subarachnoid",
    "subdural",
    "extradural",
    "intracranial",
    "cerebral",
    "cerebellar",
    "brainstem",
    "spinal",
    "cervical",
    "thoracic",
    "lumbar",
    "sacral",
    "pelvic",
    "femoral",
    "tibial",
    "humeral",
    "radial",
    "scaphoid",
    "acetabular",
    "vertebral",
    "renal",
    "hepatic",
    "splenic",
    "pancreatic",
    "adrenal",
    "bowel",
    "colon",
    "caecum",
    "rectum",
    "bladder",
    "prostate",
    "ovarian",
    "uterine",
    "breast",
    "thyroid",
    "aortic",
    "pulmonary",
    "coronary",
    "carotid",
    "vertebrobasilar",
    "portal",
    "mesenteric",
    "iliac",
    "popliteal",
]
_COMMON = [
    "the",
    "of",
    "and",
    "with",
    "in",
    "a",
    "is",
    "no",
    "there",
    "are",
    "on",
    "to",
    "at",
    "left",
    "right",
    "bilateral",
    "acute",
    "chronic",
    "small",
    "large",
    "mild",
    "moderate",
    "severe",
    "new",
    "previous",
    "normal",
    "abnormal",
    "likely",
    "suggest",
    "consistent",
    "seen",
    "demonstrated",
    "noted",
    "within",
    "without",
    "adjacent",
    "evidence",
    "significant",
    "focal",
    "diffuse",
    "patient",
    "year",
    "old",
    "history",
    "presents",
    "pain",
    "shows",
    "findings",
    "image",
    "images",
    "study",
]
_ABBREV = [
    "CT",
    "MRI",
    "MR",
    "US",
    "CXR",
    "PE",
    "DVT",
    "SAH",
    "CTPA",
    "DWI",
    "ADC",
    "FLAIR",
    "AAA",
    "COPD",
    "ICU",
    "ED",
]
_DIAGNOSES = """pneumothorax|pulmonary embolism|subarachnoid haemorrhage|ischaemic stroke|subdural haematoma|
appendicitis|small bowel obstruction|aortic dissection|scaphoid fracture|hip fracture|pneumonia|
lung cancer|renal calculus|cholecystitis|pancreatitis|meningioma|glioblastoma|multiple sclerosis|
osteosarcoma|Perthes disease|intussusception|pyloric stenosis|sarcoidosis|tuberculosis|
abdominal aortic aneurysm|splenic laceration|liver metastases|pleural effusion""".replace("\n", "").split("|")
MODALITIES = ("CT", "MR", "CR", "US", "NM", "XA")
BODY_REGIONS = ("HEAD", "NECK", "CHEST", "ABDOMEN", "PELVIS", "SPINE", "UPPER_LIMB", "LOWER_LIMB", "BREAST")
DIFFICULTIES = ("FOUNDATION", "INTERMEDIATE", "ADVANCED")
STATES = ("DRAFT", "SUBMITTED", "VALIDATED", "VALIDATED", "VALIDATED", "RETIRED")
COLLECTIONS = ("/north/leeds", "/north/york", "/north/hull", "/south/bristol", "/themes/paediatrics")
TAGS = tuple(f"tag-{w}" for w in _CORE[:60])


class _Zipf:
    """Draws words with probability proportional to 1/rank."""

    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.cum_weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(words))))
        self.rng = rng

    def sentence(self, n: int) -> str:
        picked = self.rng.choices(self.words, cum_weights=self.cum_weights, k=n)
        sentence = " ".join(picked)
        return sentence[0].upper() + sentence[1:] + "."

    def text(self, n_words: int) -> str:
        out, left = [], n_words
        while left > 0:
            k = min(left, self.rng.randint(6, 18))
            out.append(self.sentence(k))
            left -= k
        return " ".join(out)


def synthetic_documents(
    n: int,
    *,
    curriculum: Mapping[str, str],
    seed: int = 7,
    principals: tuple[str, ...] = ("role:administrator", "role:trainee"),
    start: datetime = datetime(2020, 1, 1, tzinfo=UTC),
    codes: Sequence[str] | None = None,
) -> Iterator[CatalogDocument]:
    """`n` documents, one per case ("<case>:current"), each with 1-2 codes drawn from `codes`
    (default: every code of `curriculum`, which also gives the titles of them and their ancestors)."""
    rng = random.Random(seed)
    pool = sorted(codes if codes is not None else curriculum)
    # A long tail of rare made-up words makes the vocabulary realistic in size.
    rare = [f"{rng.choice(_CORE)[:5]}{rng.choice('aeiou')}{rng.choice('lmnrst')}is" for _ in range(3000)]
    vocab = _COMMON + _ABBREV + _CORE + sorted(set(rare))
    zipf = _Zipf(vocab, rng)
    for _ in range(n):
        own = tuple(sorted(set(rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2)))))))
        expanded = expand_codes(own)
        diagnosis = rng.choice(_DIAGNOSES)
        created = start + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        case_id = str(uuid.UUID(int=rng.getrandbits(128)))
        yield CatalogDocument(
            doc_id=f"{case_id}:current",
            case_id=case_id,
            version=rng.randint(1, 6),
            title=f"{zipf.sentence(rng.randint(2, 5))[:-1]} {diagnosis}",
            clinical_history=zipf.text(rng.randint(15, 50)),
            findings=zipf.text(rng.randint(40, 150)),
            diagnosis=diagnosis,
            differential_diagnoses=tuple(rng.sample(_DIAGNOSES, 3)),
            discussion=zipf.text(rng.randint(60, 250)),
            teaching_points=zipf.text(rng.randint(15, 60)),
            tags=tuple(sorted(set(rng.sample(TAGS, rng.randint(1, 4))))),
            curriculum_codes=own,
            curriculum_expanded=expanded,
            curriculum_titles=tuple(curriculum[c] for c in expanded if c in curriculum),
            modalities=tuple(sorted(set(rng.sample(MODALITIES, rng.choice((1, 1, 1, 2)))))),
            body_regions=(rng.choice(BODY_REGIONS),),
            difficulty=rng.choice(DIFFICULTIES),
            state=rng.choice(STATES),
            collection_path=rng.choice(COLLECTIONS),
            created=created,
            modified=created + timedelta(days=rng.randint(0, 30)),
            allowed=principals,
        )


SAMPLE_CURRICULUM: dict[str, str] = {
    "NEURO": "Neuroradiology",
    "NEURO.STROKE": "Stroke",
    "NEURO.STROKE.ISCHAEMIC": "Ischaemic stroke",
    "NEURO.STROKE.HAEMORRHAGIC": "Haemorrhagic stroke",
    "NEURO.TRAUMA.SDH": "Subdural haematoma",
    "CHEST": "Chest radiology",
    "CHEST.PLEURA.PNEUMOTHORAX": "Pneumothorax",
    "CHEST.VASCULAR.PE": "Pulmonary embolism",
    "MSK.TRAUMA.SCAPHOID": "Scaphoid fracture",
    "GI.ACUTE.APPENDICITIS": "Appendicitis",
    "PAEDS.GI.INTUSSUSCEPTION": "Intussusception",
}
"""A small stand-in for tests; benchmarks should pass the real sample curriculum."""
