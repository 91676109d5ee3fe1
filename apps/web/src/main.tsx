import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { createConsoleClient } from './api/client.ts';
import { ConnectionProvider } from './api/connection.tsx';
import { App } from './App.tsx';
import './ui/styles.css';

const { apollo, status } = createConsoleClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={apollo}>
      <ConnectionProvider status={status}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </ConnectionProvider>
    </ApolloProvider>
  </StrictMode>,
);
