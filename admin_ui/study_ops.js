// The self-study operations (docs/contract/learning.graphql, plus the card and progress fields the page shows).
export const STUDY_QUEUE = `query StudyQueue($curriculum: String, $first: Int = 10) {
  studyQueue(curriculum: $curriculum, first: $first) {
    topic dueCount newCount
    cards {
      due state reps lapses revealed plainFilm
      case {
        id title clinicalHistory patientAgeBand patientSex modalities
        studies { id description modality series { id description modality instanceCount thumbnailUrl
          instances(first: 100) { edges { node { id instanceNumber renderedUrl frameCount } } } } }
      }
    }
  }
}`;

export const REVEAL = `mutation RevealStudyCase($case: ID!, $answer: String!, $abnormal: Boolean) {
  revealStudyCase(input: {case: $case, answer: $answer, abnormal: $abnormal}) {
    modelAnswer { title diagnosis findings differentialDiagnoses discussion teachingPoints abnormal yourAnswer yourAbnormal
      keyImages { id instanceNumber renderedUrl } }
    errors { field message code }
  }
}`;

export const RATE = `mutation RateStudyCard($case: ID!, $rating: StudyRating!) {
  rateStudyCard(input: {case: $case, rating: $rating}) {
    card { due state reps stability }
    errors { field message code }
  }
}`;

const FIGURES = 'traineeCount cardCount dueCount learnedCount reviewCount recalledCount retention';
const NODES = 'nodes { code title depth cardCount dueCount learnedCount reviewCount recalledCount retention }';

export const MY_PROGRESS = `query StudyProgress { studyProgress { ${FIGURES} sharesAnswers ${NODES} } }`;

export const COHORT_PROGRESS = `query CohortStudyProgress($cohort: ID!) { cohortStudyProgress(cohort: $cohort) {
  total { ${FIGURES} ${NODES} }
  sharedAnswers { trainee { displayName } case { id title } answer abnormal rating reviewedAt } } }`;

export const SET_SHARING = `mutation SetStudySharing($share: Boolean!) {
  setStudySharing(input: {share: $share}) { sharesAnswers errors { field message code } }
}`;

export const TOPICS = `query StudyTopics { curriculum { code title depth validatedCaseCount } }`;
