// Starts Blazor with this app's reconnect policy and drives the connection banner in App.razor.
// Backoff 1, 2, 4, 8, 16 s, then every 16 s, with "Retry now". If the server no longer knows the circuit (it
// restarted), the page reloads by itself as soon as the server answers again: the session page then re-attaches
// and the terminal is seeded with tmux's history.
const DELAYS_MS = [1000, 2000, 4000, 8000, 16000];
const delayFor = attempt => DELAYS_MS[Math.min(attempt, DELAYS_MS.length - 1)];

const banner = document.getElementById('components-reconnect-modal');
const text = banner.querySelector('.reconnect-text');
const retry = banner.querySelector('.reconnect-retry');

function show(message, canRetry) {
    banner.classList.add('visible');
    text.textContent = message;
    retry.hidden = !canRetry;
}

function hide() {
    banner.classList.remove('visible');
}

let reloading = false;
let sawStateEvent = false;

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
    sawStateEvent = true;
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

// The 9.0 client script (the fallback build, build/BlazorScript.targets) sends no state event: it only sets classes
// on the banner. Until an event has been seen, follow those classes with a cheap poll.
setInterval(() => {
    if (sawStateEvent || reloading) return;
    const classes = banner.classList;
    if (classes.contains('components-reconnect-failed') || classes.contains('components-reconnect-rejected')) {
        reloadWhenServerAnswers();
    } else if (classes.contains('components-reconnect-show')) {
        if (!classes.contains('visible')) show('Connection lost. Reconnecting…', true);
    } else if (classes.contains('visible') && classes.contains('components-reconnect-hide')) {
        hide();
    }
}, 250);

Blazor.start({
    circuit: {
        reconnectionOptions: {
            maxRetries: 100000,
            retryIntervalMilliseconds: previousAttempts => delayFor(previousAttempts),
        },
    },
});
