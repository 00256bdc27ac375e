"""Words of the retention page, in French and English (see :mod:`clv.i18n.texts`)."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    "retention.title": {"fr": "Rétention et attrition", "en": "Retention and churn"},
    "retention.purpose": {
        "fr": "Cohortes mensuelles d'acquisition : qui recommande, mois après mois, ce que "
        "chaque cohorte rapporte en marge, et quand les clients décrochent selon une règle "
        "d'attrition explicite.",
        "en": "Monthly acquisition cohorts: who orders again month after month, what each "
        "cohort earns in margin, and when customers lapse under an explicit churn rule.",
    },
    "retention.empty": {
        "fr": "Pas encore de commandes : la rétention se lit dans l'historique des commandes "
        "de chaque client.",
        "en": "No orders yet: retention is read from each customer's order history.",
    },
    "retention.nothing": {
        "fr": "Rien à afficher avec ces filtres : aucune cohorte n'a encore un mois complet "
        "observé.",
        "en": "Nothing to show with these filters: no cohort has a fully observed month yet.",
    },
    # -- the churn rule
    "retention.definition.title": {"fr": "Définition de l'attrition", "en": "Churn definition"},
    "retention.definition.days": {
        "fr": "Aucune commande depuis (jours)",
        "en": "No order within (days)",
    },
    "retention.definition.days_help": {
        "fr": "Un client sans commande payée depuis ce nombre de jours est compté comme "
        "perdu. Le choix est gardé pour la session ; il s'applique aux tuiles, au taux "
        "d'attrition par cohorte et par segment, et aux courbes de survie.",
        "en": "A customer with no paid order for this many days counts as churned. The "
        "choice is kept for the session; it applies to the tiles, to churn by cohort and "
        "by tier, and to the survival curves.",
    },
    "retention.definition.rule": {
        "fr": "**Règle en vigueur :** un client est perdu s'il n'a passé **aucune commande "
        "payée pendant {days} jours**. Au {end}, date d'observation, cela veut dire une "
        "dernière commande le {cutoff} ou avant. Seuls les clients dont la première "
        "commande date d'au moins {days} jours sont jugés : les plus récents n'ont pas "
        "encore eu le temps de partir.",
        "en": "**Rule in force:** a customer has churned after **{days} days without a paid "
        "order**. At {end}, the observation date, that means a last order on or before "
        "{cutoff}. Only customers whose first order is at least {days} days old are "
        "judged: younger ones have not yet had the time to leave.",
    },
    "retention.definition.proposed": {
        "fr": "**Valeur proposée : {proposed} jours**, tirée du rythme d'achat de la "
        "boutique. On mesure chaque écart entre deux jours d'achat successifs d'un même "
        "client ; au moins {percentile} % de ces réachats arrivent dans les {proposed} jours "
        "(le {percentile}e centile des écarts, arrondi au multiple de 30 jours supérieur, "
        "30 jours au minimum). Un client silencieux plus longtemps est donc probablement "
        "parti. Sans aucun client ayant acheté deux fois, la valeur proposée est "
        "{fallback} jours.",
        "en": "**Proposed value: {proposed} days**, from the shop's own rhythm of purchases. "
        "Every gap between two consecutive purchase days of the same customer is measured; "
        "at least {percentile}% of these repeat purchases come within {proposed} days (the "
        "{percentile}th percentile of the gaps, rounded up to a multiple of 30 days, at "
        "least 30). A customer silent for longer has probably left. When no customer has "
        "bought twice, the proposed value is {fallback} days.",
    },
    "retention.definition.reset": {
        "fr": "Revenir à la valeur proposée ({days} jours)",
        "en": "Back to the proposed value ({days} days)",
    },
    # -- tiles
    "retention.kpi.churn": {"fr": "Taux d'attrition", "en": "Churn rate"},
    "retention.kpi.churn_help": {
        "fr": "Clients perdus ÷ clients jugés = {churned} ÷ {judged}. Jugés : première "
        "commande le {cutoff} ou avant (au moins {days} jours avant le {end}). Perdus : "
        "dernière commande payée le {cutoff} ou avant, soit aucune commande pendant les "
        "{days} jours jusqu'au {end}.",
        "en": "Churned customers ÷ customers judged = {churned} ÷ {judged}. Judged: first "
        "order on or before {cutoff} (at least {days} days before {end}). Churned: last "
        "paid order on or before {cutoff}, i.e. no order in the {days} days up to {end}.",
    },
    "retention.kpi.churn_caption": {
        "fr": "Aucune commande depuis {days} jours, toutes cohortes confondues.",
        "en": "No order within {days} days, all cohorts together.",
    },
    "retention.kpi.churn_none": {
        "fr": "Aucun client n'a encore {days} jours d'ancienneté : rien à juger.",
        "en": "No customer is {days} days old yet: nobody can be judged.",
    },
    "retention.kpi.month": {"fr": "Rétention au mois {month}", "en": "Retention in month {month}"},
    "retention.kpi.month_help": {
        "fr": "Clients ayant commandé pendant le mois {month} après celui de leur première "
        "commande ÷ clients de ces cohortes = {active} ÷ {customers}. Le mois 0 est celui de la "
        "première commande ; les mois se comptent ensuite en mois civils.",
        "en": "Customers who ordered in month {month} after the month of their first order "
        "÷ customers of these cohorts = {active} ÷ {customers}. Month 0 is the month of "
        "the first order; months are then counted in calendar months.",
    },
    "retention.kpi.month_cohorts": {
        "fr": "Cohortes {first} à {last} ({cohorts}) : celles dont le mois {month} est "
        "complet au {end}.",
        "en": "Cohorts {first} to {last} ({cohorts}): those whose month {month} is complete "
        "by {end}.",
    },
    "retention.kpi.month_one_cohort": {
        "fr": "Cohorte {first} seulement : la seule dont le mois {month} est complet au {end}.",
        "en": "Cohort {first} only: the one whose month {month} is complete by {end}.",
    },
    "retention.kpi.month_none": {
        "fr": "Aucune cohorte n'a encore un mois {month} complet.",
        "en": "No cohort has a complete month {month} yet.",
    },
    "retention.kpi.benchmark": {
        "fr": "Pas de référence de marché affichée : l'attrition dépend du rythme d'achat "
        "de chaque catégorie. Comparez les cohortes et les segments entre eux.",
        "en": "No market benchmark is shown: churn depends on each category's rhythm of "
        "purchases. Compare cohorts and tiers with each other.",
    },
    # -- heatmap
    "retention.heatmap.title": {
        "fr": "Rétention par cohorte mensuelle",
        "en": "Retention by monthly cohort",
    },
    "retention.heatmap.caption": {
        "fr": "Chaque ligne est une cohorte (mois de la première commande, avec son nombre "
        "de clients) ; chaque case, la part de la cohorte qui commande pendant ce mois de "
        "sa vie. Le mois 0 vaut 100 % par construction ; l'échelle des couleurs s'arrête au "
        "plus haut des mois suivants pour les distinguer. Les cases vides sont les mois "
        "pas encore entièrement observés.",
        "en": "Each row is a cohort (month of first order, with its number of customers); "
        "each cell, the share of the cohort that orders in that month of its life. Month 0 "
        "is 100% by construction; the colour scale stops at the highest later month so "
        "that they can be told apart. Blank cells are months not yet fully observed.",
    },
    "retention.chart.heatmap.title": {
        "fr": "Rétention par cohorte (% de la cohorte commandant dans le mois)",
        "en": "Retention by cohort (% of the cohort ordering in the month)",
    },
    "retention.chart.months": {
        "fr": "Mois depuis la première commande",
        "en": "Months since the first order",
    },
    "retention.chart.cohort": {
        "fr": "Cohorte (mois de la première commande)",
        "en": "Cohort (month of first order)",
    },
    "retention.chart.cohort_short": {"fr": "Cohorte", "en": "Cohort"},
    "retention.chart.heatmap.row": {"fr": "{month} (n = {size})", "en": "{month} (n = {size})"},
    "retention.chart.heatmap.retention": {
        "fr": "Commandent dans le mois",
        "en": "Ordering in the month",
    },
    "retention.chart.heatmap.active": {"fr": "Clients actifs", "en": "Customers ordering"},
    "retention.chart.cohort_size": {"fr": "Clients de la cohorte", "en": "Customers in the cohort"},
    # -- cumulative margin
    "retention.margin.title": {
        "fr": "Marge cumulée par client, par cohorte",
        "en": "Cumulative margin per customer, by cohort",
    },
    "retention.margin.caption": {
        "fr": "Marge brute des commandes payées de la cohorte depuis sa première commande, "
        "divisée par le nombre de clients de la cohorte. Marge = montant net − coût quand "
        "l'export donne le coût, sinon {rate} du montant net (taux de marge de la page CLV).",
        "en": "Gross margin of the cohort's paid orders since its first order, divided by "
        "the cohort's number of customers. Margin = net amount − cost where the export "
        "gives the cost, else {rate} of the net amount (margin rate of the CLV page).",
    },
    "retention.margin.unknown": {
        "fr": "Une courbe s'interrompt à partir du mois où une commande n'a ni coût ni taux "
        "de marge.",
        "en": "A curve stops from the month where an order has neither a cost nor a margin rate.",
    },
    "retention.chart.margin.title": {
        "fr": "Marge brute cumulée par client, par cohorte ({currency})",
        "en": "Cumulative gross margin per customer, by cohort ({currency})",
    },
    "retention.chart.margin.y": {
        "fr": "Marge cumulée par client ({currency})",
        "en": "Cumulative margin per customer ({currency})",
    },
    # -- churn
    "retention.churn.title": {
        "fr": "Attrition par cohorte et par segment de valeur (aucune commande depuis "
        "{days} jours)",
        "en": "Churn by cohort and by value tier (no order within {days} days)",
    },
    "retention.churn.caption": {
        "fr": "Taux d'attrition = clients perdus ÷ clients jugés du groupe. Les cohortes "
        "de moins de {days} jours n'apparaissent pas : aucun de leurs clients ne peut "
        "encore être jugé.",
        "en": "Churn rate = churned customers ÷ customers judged in the group. Cohorts "
        "younger than {days} days are absent: none of their customers can be judged yet.",
    },
    "retention.chart.churn_cohort.title": {
        "fr": "Taux d'attrition par cohorte (% des clients jugés)",
        "en": "Churn rate by cohort (% of the customers judged)",
    },
    "retention.chart.churn_cohort.overall": {"fr": "Toutes cohortes", "en": "All cohorts"},
    "retention.chart.churn_tier.title": {
        "fr": "Taux d'attrition par segment de valeur (% des clients jugés)",
        "en": "Churn rate by value tier (% of the customers judged)",
    },
    "retention.chart.churn_rate": {"fr": "Taux d'attrition (%)", "en": "Churn rate (%)"},
    "retention.chart.churned": {"fr": "Perdus", "en": "Churned"},
    "retention.chart.judged": {"fr": "Clients jugés", "en": "Customers judged"},
    "retention.no_tiers": {
        "fr": "Pas de segments de valeur : la CLV des clients n'a pas pu être prédite (la "
        "page CLV dit pourquoi).",
        "en": "No value tiers: the customers' CLV could not be predicted (the CLV page says why).",
    },
    "retention.table.title": {
        "fr": "Chiffres de l'attrition en tableau",
        "en": "Churn figures as a table",
    },
    "retention.table.tier": {"fr": "Segment", "en": "Tier"},
    # -- survival
    "retention.survival.title": {
        "fr": "Courbes de survie (Kaplan-Meier)",
        "en": "Survival curves (Kaplan-Meier)",
    },
    "retention.survival.by": {"fr": "Courbes par", "en": "Curves by"},
    "retention.survival.by.channel": {"fr": "Canal d'acquisition", "en": "Acquisition channel"},
    "retention.survival.by.tier": {"fr": "Segment de valeur", "en": "Value tier"},
    "retention.survival.caption": {
        "fr": "Part des clients encore actifs selon le nombre de jours écoulés depuis leur "
        "première commande, estimée par Kaplan-Meier. Un client perdu quitte la courbe le "
        "jour où la règle le déclare perdu (dernière commande + {days} jours) ; un client "
        "encore actif est suivi jusqu'à la date d'observation, puis sort du calcul sans "
        "compter comme perdu. Les courbes restent donc à 100 % pendant les {days} premiers "
        "jours.",
        "en": "Share of customers still active by days since their first order, estimated "
        "by Kaplan-Meier. A churned customer leaves the curve on the day the rule declares "
        "them gone (last order + {days} days); a customer still active is followed up to "
        "the observation date, then leaves the calculation without counting as churned. "
        "The curves therefore stay at 100% for the first {days} days.",
    },
    "retention.survival.no_tiers": {
        "fr": "Courbes par segment indisponibles : aucune CLV prédite.",
        "en": "Curves by tier unavailable: no predicted CLV.",
    },
    "retention.chart.survival.title": {
        "fr": "Clients encore actifs selon l'ancienneté (%, attrition à {days} jours)",
        "en": "Customers still active by days since the first order (%, churn at {days} days)",
    },
    "retention.chart.survival.x": {
        "fr": "Jours depuis la première commande",
        "en": "Days since the first order",
    },
    "retention.chart.survival.y": {"fr": "Encore actifs (%)", "en": "Still active (%)"},
    "retention.chart.survival.at_risk": {
        "fr": "Clients encore suivis",
        "en": "Customers still followed",
    },
    "retention.chart.unknown_channel": {"fr": "Canal inconnu", "en": "Unknown channel"},
}
