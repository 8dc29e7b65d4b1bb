import { showCombo } from '../features/commands/keys';
import { toggleTheme } from '../stores/settings';
import { useTheme } from '../stores/theme';

/** The header's light/dark switch (Alt+T); Settings keeps the "follow the system" choice. */
export function ThemeToggle() {
  const resolved = useTheme((s) => s.resolved);
  const next = resolved === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="button button-small theme-toggle" aria-label={`Switch to the ${next} theme`} title={`Switch to the ${next} theme (${showCombo('Alt+T')})`} onClick={() => void toggleTheme()} data-theme-shown={resolved}>
      {resolved === 'dark' ? '☾' : '☀'}
    </button>
  );
}
