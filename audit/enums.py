from django.db import models


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", "Connexion"
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOGOUT = "logout", "Déconnexion"
    LOCKED_OUT = "locked_out", "Trop de tentatives (blocage temporaire)"
    PASSWORD_CHANGED = "password_changed", "Mot de passe modifié"
    PASSWORD_RESET = "password_reset", "Mot de passe réinitialisé"
    MFA_ENABLED = "mfa_enabled", "Double authentification activée"
    MFA_DISABLED = "mfa_disabled", "Double authentification désactivée"
    MFA_RECOVERY_CODES = "mfa_recovery_codes", "Codes de secours régénérés"
    MFA_FAILED = "mfa_failed", "Code de double authentification refusé"
    SESSION_EXPIRED = "session_expired", "Session expirée"
    ACCOUNT_DEACTIVATED = "account_deactivated", "Compte désactivé"
    ACCOUNT_REACTIVATED = "account_reactivated", "Compte réactivé"
    ROLES_CHANGED = "roles_changed", "Rôles modifiés"
    DATA_EXPORTED = "data_exported", "Données personnelles téléchargées"
    ACCOUNT_ERASED = "account_erased", "Données personnelles effacées"
