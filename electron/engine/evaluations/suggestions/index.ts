export { createSuggestionService, SuggestionError, type SuggestionService, type SuggestionServiceDeps } from './service';
