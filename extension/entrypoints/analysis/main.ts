import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import AnalysisPage from '../../components/analysis/AnalysisPage.svelte';

// The full-tab 分析研判 page; unlisted, opened as analysis.html.
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('analysis_title');
reloadOnLanguageChange();
mount(AnalysisPage, { target: document.getElementById('app')! });
