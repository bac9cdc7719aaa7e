// Django's default MIDDLEWARE, as `django-admin startproject` writes it (3.2 to 5.2): the
// stack of the end-to-end chain tests and of the benchmark's generated projects.
export const DEFAULT_STACK = [
  "django.middleware.security.SecurityMiddleware",
  "django.contrib.sessions.middleware.SessionMiddleware",
  "django.middleware.common.CommonMiddleware",
  "django.middleware.csrf.CsrfViewMiddleware",
  "django.contrib.auth.middleware.AuthenticationMiddleware",
  "django.contrib.messages.middleware.MessageMiddleware",
  "django.middleware.clickjacking.XFrameOptionsMiddleware",
];
