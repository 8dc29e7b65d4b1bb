import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startConnection } from './stores/connection';
import './stores/theme';
import './styles/theme.css';
import './styles/app.css';
import './styles/screens.css';

startConnection();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
