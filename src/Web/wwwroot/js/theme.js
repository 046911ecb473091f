// The layout's side of Components/Layout/ThemeState: remember the choice in a cookie (read back while prerendering,
// so a reload shows it from the first paint), and tell the terminals once the new palette is on the page.
import { THEME_EVENT } from './terminal-theme.js';

const COOKIE = 'remolt-theme';
const YEAR_SECONDS = 365 * 24 * 3600;

// value: 'light', 'dark', or null to follow the system again.
export function remember(value) {
    document.cookie = value
        ? `${COOKIE}=${value}; path=/; max-age=${YEAR_SECONDS}; samesite=lax`
        : `${COOKIE}=; path=/; max-age=0; samesite=lax`;
}

// Called after the render that changed the theme's CSS variables.
export function applied() {
    window.dispatchEvent(new Event(THEME_EVENT));
}
