"""Words shared by the analysis pages: filters, downloads, empty states."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    "page.acquisition": {"fr": "Acquisition", "en": "Acquisition"},
    "page.retention": {"fr": "Rétention", "en": "Retention"},
    "page.voice": {"fr": "Voix du client", "en": "Voice of the customer"},
    "page.loyalty": {"fr": "Fidélité", "en": "Loyalty"},
    "page.registre": {"fr": "Registre RGPD", "en": "GDPR record"},
    "page.scenarios": {"fr": "Scénarios", "en": "Scenarios"},
    "page.health": {"fr": "Santé et risque", "en": "Health and risk"},
    "filters.title": {"fr": "Filtres", "en": "Filters"},
    "filters.period": {"fr": "Période", "en": "Period"},
    "filters.period_help": {
        "fr": "Cohortes : clients dont la première commande tombe dans la période. Commandes, "
        "dépenses et réponses : celles datées de la période. La fin de période est aussi la "
        "date d'observation.",
        "en": "Cohorts: customers whose first order falls in the period. Orders, spend and "
        "answers: those dated in the period. The end of the period is also the date the "
        "figures are observed at.",
    },
    "filters.channels": {"fr": "Canaux d'acquisition", "en": "Acquisition channels"},
    "filters.all_channels": {"fr": "Tous les canaux", "en": "All channels"},
    "filters.channels_help": {
        "fr": "Canal du client : celui de l'export clients, sinon celui de sa première "
        "commande, après les correspondances de noms de la page Acquisition.",
        "en": "A customer's channel: the one in the customers export, else the one of their "
        "first order, after the name matches set on the Acquisition page.",
    },
    "filters.tiers": {"fr": "Segments de valeur", "en": "Value tiers"},
    "filters.all_tiers": {"fr": "Tous les segments", "en": "All tiers"},
    "filters.tiers_help": {
        "fr": "Segments de la CLV prédite, avec les réglages de la page CLV. Les dépenses "
        "publicitaires ne se répartissent pas par client : ce filtre ne s'y applique pas.",
        "en": "Tiers of predicted CLV, with the settings of the CLV page. Ad spend cannot be "
        "split by customer: this filter does not apply to it.",
    },
    "filters.reset": {"fr": "Retirer les filtres", "en": "Clear the filters"},
    "filters.presentation": {"fr": "Mode présentation", "en": "Presentation mode"},
    "filters.presentation_help": {
        "fr": "Graphiques plus grands, polices plus lisibles pour un écran de réunion.",
        "en": "Larger charts and fonts for a meeting-room screen.",
    },
    "filters.valuing": {
        "fr": "Calcul de la valeur des clients (une fois par import)…",
        "en": "Valuing the customers (once per import)…",
    },
    "filters.risk": {
        "fr": "Entraînement du modèle de risque d'attrition (une fois par import)…",
        "en": "Training the churn-risk model (once per import)…",
    },
    "filters.caption": {"fr": "Filtré :", "en": "Filtered:"},
    "filters.caption.period": {"fr": "du {start} au {end}", "en": "{start} to {end}"},
    "filters.caption.channels": {"fr": "canaux {channels}", "en": "channels {channels}"},
    "filters.caption.tiers": {"fr": "segments {tiers}", "en": "tiers {tiers}"},
    "filters.caption.tiers_ignored": {
        "fr": "segments {tiers} non appliqués ici (dépenses non réparties par client)",
        "en": "tiers {tiers} not applied here (spend is not split by customer)",
    },
    "filters.caption.tiers_unavailable": {
        "fr": "segments {tiers} non appliqués (aucune CLV prédite disponible)",
        "en": "tiers {tiers} not applied (no predicted CLV available)",
    },
    "chart.download": {"fr": "Données du graphique (CSV)", "en": "Chart data (CSV)"},
    "empty.upload": {
        "fr": "Importez sur la page Données : {tables}.",
        "en": "Upload on the Data page: {tables}.",
    },
    "empty.go_to_data": {"fr": "Aller à la page Données", "en": "Go to the Data page"},
    "login.why": {
        "fr": "Ce tableau de bord contient les données clients de la boutique : "
        "connectez-vous avec votre compte professionnel.",
        "en": "This dashboard holds the shop's customer data: log in with your work account.",
    },
    "login.button": {"fr": "Se connecter", "en": "Log in"},
    "login.logout": {"fr": "Se déconnecter", "en": "Log out"},
    "login.as": {"fr": "Connecté : {email}", "en": "Logged in as {email}"},
    "login.refused_title": {"fr": "Accès refusé", "en": "Access refused"},
    "login.refused": {
        "fr": "Le compte {email} n'est pas autorisé. Demandez à l'administrateur de l'ajouter "
        "à `allowed_emails` dans les secrets de l'application.",
        "en": "The account {email} is not allowed. Ask the administrator to add it to "
        "`allowed_emails` in the app's secrets.",
    },
    "login.no_allow_list": {
        "fr": "La connexion est configurée mais aucune adresse n'est autorisée : ajoutez "
        "`allowed_emails` dans les secrets de l'application.",
        "en": "Login is configured but no address is allowed: add `allowed_emails` to the "
        "app's secrets.",
    },
}
