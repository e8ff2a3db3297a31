import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import SidePanel from '../../components/sidepanel/SidePanel.svelte';

const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('panelTitle');
reloadOnLanguageChange();
mount(SidePanel, { target: document.getElementById('app')! });
