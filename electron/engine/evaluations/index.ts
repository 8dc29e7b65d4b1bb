export { cellLabel, defaultLocalConcurrency, EvaluationRequestError } from './definition';
export { compareEvaluations, evaluationReport, listSummaries, runbookDashboard } from './figures';
export { imagePreparer } from './images';
export { remoteExecutor } from './remote';
export { ctrfReport, junitXml } from './reports';
export { createEvaluationService, type EvaluationService, type EvaluationServiceDeps, type RemoteExecutor, type TrialRun } from './service';
export { createSuggestionService, SuggestionError, type SuggestionService } from './suggestions';
