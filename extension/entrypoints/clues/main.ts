import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import CluesPage from '../../components/clues/CluesPage.svelte';

// The full-tab clue board (问题线索): #clue/<id> opens one clue.
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('clues_title');
reloadOnLanguageChange();
mount(CluesPage, { target: document.getElementById('app')! });
