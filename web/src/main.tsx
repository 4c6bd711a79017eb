import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import './styles/base.css';
import './styles/layout.css';
import './styles/list.css';
import './styles/search.css';
import './styles/request-row.css';
import './styles/detail.css';
import './styles/forms.css';
import './styles/sender.css';
import './styles/transfer.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
