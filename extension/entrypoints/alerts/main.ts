import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import AlertsPage from '../../components/alerts/AlertsPage.svelte';

// The full-tab 预警提醒 page; unlisted, opened as alerts.html.
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('alerts_title');
reloadOnLanguageChange();
mount(AlertsPage, { target: document.getElementById('app')! });
