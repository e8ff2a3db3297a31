import { mount } from 'svelte';
import '../../components/theme.css';
import '../../components/review/print.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import ReviewPage from '../../components/review/ReviewPage.svelte';

// The full-tab integrity-review page (廉政意见回复); unlisted, opened as review.html.
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('review_title');
reloadOnLanguageChange();
mount(ReviewPage, { target: document.getElementById('app')! });
