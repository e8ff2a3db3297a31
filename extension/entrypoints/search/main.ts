import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import SearchPage from '../../components/search/SearchPage.svelte';

// The full-tab 干部查询 page; unlisted, opened as search.html.
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('search_title');
reloadOnLanguageChange();
mount(SearchPage, { target: document.getElementById('app')! });
