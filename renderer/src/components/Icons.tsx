/** Small inline icons (no icon font, nothing loaded from the network). */
const base = { width: 16, height: 16, viewBox: '0 0 16 16', fill: 'none', stroke: 'currentColor', strokeWidth: 1.4, 'aria-hidden': true } as const;

export const FolderIcon = () => (
  <svg {...base}>
    <path d="M1.75 4.25c0-.83.67-1.5 1.5-1.5h3l1.5 1.75h5c.83 0 1.5.67 1.5 1.5v5.75c0 .83-.67 1.5-1.5 1.5h-9.5c-.83 0-1.5-.67-1.5-1.5z" strokeLinejoin="round" />
  </svg>
);

export const FileIcon = () => (
  <svg {...base}>
    <path d="M4 1.75h5l3 3v9.5H4z" strokeLinejoin="round" />
    <path d="M9 1.75v3h3M6 8.5h4M6 11h4" strokeLinecap="round" />
  </svg>
);

export const LogoMark = () => (
  <svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true">
    <rect width="22" height="22" rx="6" fill="var(--accent)" />
    <path d="M7 15.5c1.2 1 2.3 1.3 3.3 1.3 2 0 3.2-1.3 3.2-3.6V5.5" stroke="var(--accent-contrast)" strokeWidth="2" fill="none" strokeLinecap="round" />
  </svg>
);
