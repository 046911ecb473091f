// Starts Blazor with this app's reconnect policy and drives the connection banner in App.razor.
// Backoff 1, 2, 4, 8, 16 s, then every 16 s, with "Retry now". If the server no longer knows the circuit (it
// restarted), the page reloads by itself as soon as the server answers again: the session page then re-attaches
// and the terminal is seeded with tmux's history.
const DELAYS_MS = [1000, 2000, 4000, 8000, 16000];
const delayFor = attempt => DELAYS_MS[Math.min(attempt, DELAYS_MS.length - 1)];

const banner = document.getElementById('components-reconnect-modal');
const text = banner.querySelector('[data-reconnect-text]');
const retry = banner.querySelector('[data-reconnect-retry]');

function show(message, canRetry) {
    banner.classList.add('visible');
    text.textContent = message;
    retry.hidden = !canRetry;
}

function hide() {
    banner.classList.remove('visible');
}

let reloading = false;

async function reloadWhenServerAnswers() {
    if (reloading) return;
    reloading = true;
    show('The server restarted. Reconnecting…', false);
    for (let attempt = 0; ; attempt++) {
        try {
            const response = await fetch('health', { cache: 'no-store' });
            if (response.ok) {
                location.reload();
                return;
            }
        } catch {
            // Still down.
        }
        await new Promise(resolve => setTimeout(resolve, delayFor(attempt)));
    }
}

retry.addEventListener('click', async () => {
    show('Reconnecting…', false);
    try {
        const reconnected = await Blazor.reconnect();
        if (!reconnected) await reloadWhenServerAnswers();
    } catch {
        await reloadWhenServerAnswers();
    }
});

banner.addEventListener('components-reconnect-state-changed', event => {
    const { state, secondsToNextAttempt } = event.detail;
    console.info(`reconnect state: ${state}`);
    switch (state) {
        case 'show':
            show('Connection lost. Reconnecting…', true);
            break;
        case 'retrying':
            show(secondsToNextAttempt > 0 ? `Connection lost. Reconnecting in ${secondsToNextAttempt} s…` : 'Connection lost. Reconnecting…', true);
            break;
        case 'paused':
            show('Connection paused.', true);
            break;
        case 'hide':
            hide();
            break;
        case 'rejected':
        case 'failed':
        case 'resume-failed':
            reloadWhenServerAnswers();
            break;
        default:
            break;
    }
});

Blazor.start({
    circuit: {
        reconnectionOptions: {
            maxRetries: 100000,
            retryIntervalMilliseconds: previousAttempts => delayFor(previousAttempts),
        },
    },
});
