import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import ViewsPage from '../../components/views/ViewsPage.svelte';

// The full-tab 查阅记录 page (the view log, for administrators); unlisted, opened as views.html from
// the options page.
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('views_title');
reloadOnLanguageChange();
mount(ViewsPage, { target: document.getElementById('app')! });
