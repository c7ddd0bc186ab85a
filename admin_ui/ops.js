// The GraphQL operations the UI runs: the partner contract's (shared/contract/*.graphql), plus
// a few sibling fields the schema offers (availableTransitions, tags, auditTrail).
export const LOGIN = `mutation Login($username: String!, $password: String!) {
  login(input: {username: $username, password: $password}) {
    token
    user { id username displayName roles }
    errors { field message code }
  }
}`;

export const ME = `query Me { me { id username displayName roles cohorts { id title } } }`;

export const CASE_DETAIL = `query CaseDetail($id: ID!) {
  node(id: $id) {
    ... on Case {
      id uid path title state version publishedVersion
      clinicalHistory findings diagnosis differentialDiagnoses discussion teachingPoints
      difficulty patientAgeBand patientSex modalities bodyRegions tags thumbnailUrl
      availableTransitions
      annotations { id kind instance { id } frame points text measurement { value unit mean standardDeviation pixelUnit } }
      curriculum { code title }
      collection { id title path }
      createdAt modifiedAt creator { displayName } validator { displayName }
      studies {
        id description modality studyDate
        series {
          id description modality bodyPart instanceCount
          thumbnailUrl previewUrl cineUrl dicomwebPath
          instances(first: 1000) { edges { node { id instanceNumber renderedUrl frameCount quarantined quarantineReason sopInstanceUid } } }
        }
      }
      history { version state author { displayName } createdAt comment changedFields }
      auditTrail { at actor action comment }
    }
  }
}`;

export const CASE_DIFF = `query CaseDiff($id: ID!, $from: Int!, $to: Int!) {
  caseDiff(id: $id, fromVersion: $from, toVersion: $to) { field before after }
}`;

export const SEARCH = `query SearchCases($search: CaseSearch, $first: Int = 20, $after: String) {
  cases(search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    facets { field buckets { value label count } }
    edges {
      cursor
      highlights { field snippet }
      node {
        id title state version modalities bodyRegions difficulty
        curriculum { code title }
        thumbnailUrl
      }
    }
  }
}`;

export const CURRICULUM = `query Curriculum($root: String) {
  curriculum(root: $root) { code title depth parentCode validatedCaseCount deprecated replacedBy { code title } }
}`;

// Cases still tagged with retired curriculum codes, and the retag to their replacements.
export const RETIRED_TAGS = `query RetiredCurriculumTags($first: Int = 100) {
  retiredCurriculumTags(first: $first) {
    totalCount
    entries {
      awaitingValidation
      case { id title version state publishedVersion }
      retired { code title replacedBy { code title deprecated } }
    }
  }
}`;

export const RETAG_RETIRED = `mutation RetagRetiredCurriculum($case: ID!, $expectedVersion: Int!) {
  retagRetiredCurriculum(input: {case: $case, expectedVersion: $expectedVersion}) {
    case { id version state curriculum { code } }
    errors { field message code }
  }
}`;

export const COLLECTIONS = `query Collections { collections { id title path parent { id } caseCount } }`;

export const CREATE_COLLECTION = `mutation CreateCollection($input: CreateCollectionInput!) {
  createCollection(input: $input) { collection { id title path } errors { field message code } }
}`;

export const CREATE_CASE = `mutation CreateCase($input: CreateCaseInput!) {
  createCase(input: $input) { case { id state version } errors { field message code } }
}`;

export const UPDATE_CASE = `mutation UpdateCase($input: UpdateCaseInput!) {
  updateCase(input: $input) { case { id version modifiedAt } errors { field message code } }
}`;

export const TRANSITION = `mutation TransitionCase($id: ID!, $transition: CaseTransition!, $comment: String) {
  transitionCase(input: {id: $id, transition: $transition, comment: $comment}) {
    case { id state version publishedVersion }
    errors { field message code }
  }
}`;

export const REVERT = `mutation RevertCase($id: ID!, $toVersion: Int!, $expectedVersion: Int!) {
  revertCase(input: {id: $id, toVersion: $toVersion, expectedVersion: $expectedVersion}) {
    case { id version }
    errors { field message code }
  }
}`;

export const REVIEW_QUEUE = `query ReviewQueue {
  reviewQueue(first: 50) {
    id title state version modifiedAt difficulty modalities availableTransitions thumbnailUrl
    collection { title path } creator { displayName } curriculum { code title }
  }
}`;

// contract/worklists.graphql
export const CREATE_WORKLIST = `mutation CreateWorklist($input: CreateWorklistInput!) {
  createWorklist(input: $input) { worklist { id title caseCount } errors { field message code } }
}`;

export const ASSIGN_WORKLIST = `mutation AssignWorklist($input: AssignWorklistInput!) {
  assignWorklist(input: $input) { assignments { id trainee { id displayName } dueAt } errors { field message code } }
}`;

export const MY_ASSIGNMENTS = `query MyAssignments {
  myAssignments {
    id dueAt completedCount totalCount
    worklist { id title }
    items { position reported case { id clinicalHistory thumbnailUrl } report { id } }
  }
}`;

// A mark on an image (docs/contract/viewer.graphql), as the viewer draws it.
const MARK = 'id kind instance { id } frame points text measurement { value unit }';

/** An item's report: the trainee's own marks and, once submitted, the model answer's. */
export const ITEM_REPORT = `query ItemReport($id: ID!) {
  node(id: $id) { ... on Report { id status annotations { ${MARK} } modelAnswer { annotations { ${MARK} } } } }
}`;

/** A case's images only, for a viewer beside something else (marking a report). */
export const CASE_IMAGES = `query CaseImages($id: ID!) {
  node(id: $id) { ... on Case { id studies { id description modality series { id description modality instanceCount thumbnailUrl dicomwebPath
    instances(first: 1000) { edges { node { id instanceNumber renderedUrl frameCount sopInstanceUid } } } } } } }
}`;

export const SAVE_ANNOTATIONS = `mutation SaveAnnotations($input: SaveAnnotationsInput!) {
  saveAnnotations(input: $input) {
    case { id version annotations { ${MARK} } }
    errors { field message code }
  }
}`;

export const SAVE_REPORT_DRAFT = `mutation SaveReportDraft($input: SubmitReportInput!) {
  saveReportDraft(input: $input) { report { id } errors { field message code } }
}`;

export const SUBMIT_REPORT = `mutation SubmitReport($input: SubmitReportInput!) {
  submitReport(input: $input) {
    report { id submittedAt modelAnswer { diagnosis findings teachingPoints annotations { ${MARK} } } }
    errors { field message code }
  }
}`;

export const PROGRESS = `query Progress($traineeId: ID) {
  progress(traineeId: $traineeId) {
    trainee { id displayName }
    assignedCount reportedCount meanScore
    coverage { code title reportedCount validatedCaseCount }
  }
}`;

// Only the images and clinical history of a case: what a trainee reporting blind is shown.
export const BLIND_CASE = `query BlindCase($id: ID!) {
  node(id: $id) {
    ... on Case {
      id clinicalHistory patientAgeBand patientSex modalities
      studies { id description modality series { id description modality instanceCount thumbnailUrl dicomwebPath
        instances(first: 1000) { edges { node { id instanceNumber renderedUrl frameCount sopInstanceUid } } } } }
    }
  }
}`;

/** MyAssignments, with the worklist's mode and time limit when the server's Worklist has them. */
export const START_ASSIGNMENT = `mutation StartAssignment($assignment: ID!) {
  startAssignment(input: {assignment: $assignment}) {
    assignment { id startedAt deadline timeLimitMinutes lateAnswers }
    errors { field message code }
  }
}`;

export function myAssignmentsQuery(caps) {
  const extra = ['mode', 'timeLimitMinutes'].filter((f) => caps.worklist.has(f)).join(' ');
  return extra ? MY_ASSIGNMENTS.replace('worklist { id title }', `worklist { id title ${extra} }`) : MY_ASSIGNMENTS;
}

// Administration: people, roles, cohorts, local roles and API tokens.
export const USERS = `query Users($search: String, $role: String, $includeInactive: Boolean) {
  users(search: $search, role: $role, includeInactive: $includeInactive, first: 200) {
    id username displayName roles active cohorts { id title }
  }
}`;

const USER_PAYLOAD = 'user { id username displayName roles active } password errors { field message code }';

export const CREATE_USER = `mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { ${USER_PAYLOAD} } }`;

export const UPDATE_USER = `mutation UpdateUser($input: UpdateUserInput!) { updateUser(input: $input) { ${USER_PAYLOAD} } }`;

export const COHORTS = `query Cohorts { cohorts { id title members { id username displayName roles } } }`;

const COHORT_PAYLOAD = 'cohort { id title members { id username displayName roles } } errors { field message code }';

export const CREATE_COHORT = `mutation CreateCohort($input: CreateCohortInput!) { createCohort(input: $input) { ${COHORT_PAYLOAD} } }`;

export const ADD_TO_COHORT = `mutation AddToCohort($input: CohortMemberInput!) { addToCohort(input: $input) { ${COHORT_PAYLOAD} } }`;

export const REMOVE_FROM_COHORT = `mutation RemoveFromCohort($input: CohortMemberInput!) { removeFromCohort(input: $input) { ${COHORT_PAYLOAD} } }`;

export const LOCAL_ROLES = `query LocalRoles($collection: ID!) {
  localRoles(collection: $collection) { id role user { id username displayName } cohort { id title } }
}`;

const GRANT_PAYLOAD = 'grant { id role } errors { field message code }';

export const GRANT_LOCAL_ROLE = `mutation GrantLocalRole($input: GrantLocalRoleInput!) { grantLocalRole(input: $input) { ${GRANT_PAYLOAD} } }`;

export const REVOKE_LOCAL_ROLE = `mutation RevokeLocalRole($input: RevokeLocalRoleInput!) { revokeLocalRole(input: $input) { ${GRANT_PAYLOAD} } }`;

export const API_TOKENS = `query ApiTokens($includeRevoked: Boolean) {
  apiTokens(includeRevoked: $includeRevoked) { id name prefix scope collectionPath partner { id name } createdAt lastUsed revoked }
}`;

const TOKEN_PAYLOAD = 'token apiToken { id name prefix revoked } errors { field message code }';

export const CREATE_API_TOKEN = `mutation CreateApiToken($input: CreateApiTokenInput!) { createApiToken(input: $input) { ${TOKEN_PAYLOAD} } }`;

export const REVOKE_API_TOKEN = `mutation RevokeApiToken($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { ${TOKEN_PAYLOAD} } }`;

// Sessions (contract/sessions.graphql).
export const LOGOUT = `mutation Logout {
  logout { ok errors { field message code } }
}`;

export const CHANGE_PASSWORD = `mutation ChangePassword($current: String!, $new: String!) {
  changePassword(input: {currentPassword: $current, newPassword: $new}) {
    token
    errors { field message code }
  }
}`;

export const RESET_PASSWORD = `mutation ResetPassword($user: ID!) {
  resetPassword(input: {user: $user}) {
    temporaryPassword
    errors { field message code }
  }
}`;

// Quarantine review (contract: trust.graphql).
export const QUARANTINED_IMAGES = `query QuarantinedImages($first: Int = 20, $after: String) {
  quarantinedImages(first: $first, after: $after) {
    totalCount
    edges { node { id quarantineReason renderedUrl rows columns frameCount
                   proposedRegions { x y width height }
                   case { id title } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const REVIEW_QUARANTINED_IMAGE = `mutation ReviewQuarantinedImage($instance: ID!, $action: QuarantineAction!, $regions: [RegionInput!]) {
  reviewQuarantinedImage(input: {instance: $instance, action: $action, regions: $regions}) {
    instance { id quarantined }
    errors { field message code }
  }
}`;
