import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/lists.css';
import './styles/detail.css';
import './styles/registers.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
