import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, Route, BrowserRouter, Routes } from 'react-router';
import { Layout } from '../components/Layout';
import { AuditLogPage } from '../features/admin/AuditLogPage';
import { AssociationPage } from '../features/associations/AssociationPage';
import { AssociationsPage } from '../features/associations/AssociationsPage';
import { MembersPage } from '../features/associations/MembersPage';
import { StatusCheckPage } from '../features/associations/StatusCheckPage';
import { IntegrationsPage } from '../features/admin/IntegrationsPage';
import { OutboxPage } from '../features/admin/OutboxPage';
import { PeoplePage } from '../features/accounts/PeoplePage';
import { RolesPage } from '../features/accounts/RolesPage';
import { MessagesPage } from '../features/messages/MessagesPage';
import { ElectionPage, ElectionsPage } from '../features/elections/ElectionsPages';
import { MinutesPage } from '../features/elections/MinutesPage';
import { BulletinPage } from '../features/elections/BulletinPage';
import { TrusteePage } from '../features/elections/TrusteePage';
import { VotePage } from '../features/elections/VotePage';
import { OfficerPage } from '../features/officers/OfficerPage';
import { QualifiedOfficersPage } from '../features/officers/QualifiedOfficersPage';
import { EngineerPage } from '../features/engineers/EngineerPage';
import { ExpertPage } from '../features/engineers/ExpertPage';
import { SsoCompletePage } from '../features/auth/SsoCompletePage';
import { DistributorPage } from '../features/distributors/DistributorPage';
import { ReviewQueuePage, ReviewRequestPage } from '../features/reviews/ReviewPages';
import { NewsItemPage, NewsPage } from '../features/news/NewsPages';
import { ChangePasswordPage } from '../features/auth/ChangePasswordPage';
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage';
import { LoginPage } from '../features/auth/LoginPage';
import { RegisterPage } from '../features/auth/RegisterPage';
import { HomePage } from '../features/home/HomePage';
import { InvoicePage } from '../features/payments/InvoicePage';
import { InvoicesPage } from '../features/payments/InvoicesPage';
import { SandboxGatewayPage } from '../features/payments/SandboxGatewayPage';
import { ProfilePage } from '../features/profile/ProfilePage';
import i18n, { applyLang, initialLang, type Lang } from '../i18n';
import { AuthProvider } from './auth';
import { RequireAuth, RequireRole } from './RequireAuth';
import { ThemeRoot } from './theme';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (count, error) => count < 2 && !('status' in (error as object)), refetchOnWindowFocus: false },
  },
});

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>
        {t('errors.notFound')}
      </Typography>
      <Button component={RouterLink} to="/">
        {t('errors.back')}
      </Button>
    </>
  );
}

export function App() {
  const [lang, setLang] = useState<Lang>(() => {
    const l = initialLang();
    applyLang(l);
    return l;
  });
  const changeLang = (next: Lang) => {
    applyLang(next);
    void i18n.changeLanguage(next);
    setLang(next);
  };
  return (
    <QueryClientProvider client={queryClient}>
      <ThemeRoot lang={lang}>
        <BrowserRouter>
          <AuthProvider>
            <Routes>
              <Route element={<Layout lang={lang} onLangChange={changeLang} />}>
                <Route index element={<HomePage />} />
                <Route path="login" element={<LoginPage />} />
                <Route path="register" element={<RegisterPage />} />
                <Route path="forgot-password" element={<ForgotPasswordPage />} />
                <Route path="sso/complete" element={<SsoCompletePage />} />
                <Route path="sandbox-gateway/:authority" element={<SandboxGatewayPage />} />
                <Route path="associations" element={<AssociationsPage />} />
                <Route path="membership-status" element={<StatusCheckPage />} />
                <Route path="associations/:id" element={<AssociationPage />} />
                <Route path="news" element={<NewsPage />} />
                <Route path="elections" element={<ElectionsPage />} />
                <Route path="elections/:id" element={<ElectionPage />} />
                <Route path="elections/:id/minutes" element={<MinutesPage />} />
                <Route path="elections/:id/bulletin" element={<BulletinPage />} />
                <Route path="news/:id" element={<NewsItemPage />} />
                <Route element={<RequireAuth />}>
                  <Route path="profile" element={<ProfilePage />} />
                  <Route path="change-password" element={<ChangePasswordPage />} />
                  <Route path="invoices" element={<InvoicesPage />} />
                  <Route path="messages" element={<MessagesPage />} />
                  <Route path="elections/:id/vote" element={<VotePage />} />
                  <Route path="elections/:id/trustee" element={<TrusteePage />} />
                  <Route path="officer" element={<OfficerPage />} />
                  <Route path="qualified-officers" element={<QualifiedOfficersPage />} />
                  <Route path="engineer" element={<EngineerPage />} />
                  <Route path="engineering" element={<ExpertPage />} />
                  <Route path="reviews" element={<ReviewQueuePage />} />
                  <Route path="distributor" element={<DistributorPage />} />
                  <Route path="reviews/:id" element={<ReviewRequestPage />} />
                  <Route path="associations/:id/members" element={<MembersPage />} />
                  <Route path="invoices/:id" element={<InvoicePage />} />
                  <Route path="admin/integrations" element={<IntegrationsPage />} />
                  <Route path="admin/roles" element={<RolesPage />} />
                  <Route path="admin/audit-log" element={<AuditLogPage />} />
                  <Route element={<RequireRole role="commission_admin" />}>
                    <Route path="admin/outbox" element={<OutboxPage />} />
                    <Route path="admin/people" element={<PeoplePage />} />
                  </Route>
                </Route>
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </AuthProvider>
        </BrowserRouter>
      </ThemeRoot>
    </QueryClientProvider>
  );
}
