"""Words of the Overview's tiles, in French and English (see :mod:`clv.i18n.texts`)."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    "overview.tiles": {"fr": "Les chiffres clés, page par page", "en": "Key figures, page by page"},
    "overview.tile.open": {"fr": "Ouvrir la page", "en": "Open the page"},
    "overview.tile.clv": {
        "fr": "CLV prédite moyenne ({horizon} mois)",
        "en": "Average predicted CLV ({horizon} months)",
    },
    "overview.tile.clv_help": {
        "fr": "Marge brute actualisée attendue par client sur l'horizon de la page CLV : "
        "{total} pour {customers} clients retenus par les filtres, divisé par leur nombre.",
        "en": "Discounted gross margin expected per customer over the CLV page's horizon: "
        "{total} for the {customers} customers kept by the filters, divided by their number.",
    },
    "overview.tile.clv_total": {
        "fr": "Valeur prédite de ces clients : {total}.",
        "en": "Predicted value of these customers: {total}.",
    },
    "overview.tile.clv_none": {
        "fr": "Pas de CLV prédite : il faut des clients ayant commandé au moins deux fois. "
        "La page CLV dit ce qui manque.",
        "en": "No predicted CLV: it needs customers who ordered at least twice. The CLV page "
        "says what is missing.",
    },
    "overview.tile.no_spend": {
        "fr": "Importez les dépenses publicitaires par canal pour calculer le CAC et le ratio "
        "CLV/CAC.",
        "en": "Upload the ad spend per channel to compute the CAC and the CLV/CAC ratio.",
    },
    "overview.tile.ratio": {"fr": "CLV/CAC des canaux payants", "en": "CLV/CAC of paid channels"},
    "overview.tile.ratio_help": {
        "fr": "CLV totale (marge déjà réalisée + marge prédite) des clients acquis par les "
        "canaux avec dépenses ÷ dépenses de ces canaux sur la période. Le filtre de segments ne s'applique pas (les dépenses "
        "ne se répartissent pas par client).",
        "en": "Total CLV (margin earned so far + predicted margin) of the customers acquired "
        "by channels with spend ÷ the spend of those channels over the period. The tier filter does not apply (spend "
        "cannot be split by customer).",
    },
    "overview.tile.ratio_benchmark": {
        "fr": "Repère : {benchmark} : 1 ou plus est sain.",
        "en": "Benchmark: {benchmark}:1 or more is healthy.",
    },
    "overview.band.loses_money": {
        "fr": "Ici : chaque client rapporte moins qu'il ne coûte.",
        "en": "Here: each customer brings in less than they cost.",
    },
    "overview.band.break_even": {
        "fr": "Ici : à l'équilibre.",
        "en": "Here: break-even.",
    },
    "overview.band.optimise": {
        "fr": "Ici : rentable, à optimiser.",
        "en": "Here: profitable, to optimise.",
    },
    "overview.band.healthy": {"fr": "Ici : sain.", "en": "Here: healthy."},
    "overview.band.none": {
        "fr": "Ratio inconnu : aucun canal n'a à la fois des dépenses et des clients valorisés.",
        "en": "Ratio unknown: no channel has both spend and valued customers.",
    },
    "overview.tile.churn": {"fr": "Taux d'attrition", "en": "Churn rate"},
    "overview.tile.churn_help": {
        "fr": "Clients sans commande depuis {days} jours ÷ clients jugés ({judged} clients "
        "dont la première commande date d'au moins {days} jours), toutes cohortes filtrées.",
        "en": "Customers without an order for {days} days ÷ customers judged ({judged} "
        "customers whose first order is at least {days} days old), over the filtered cohorts.",
    },
    "overview.tile.churn_definition": {
        "fr": "Définition : aucune commande depuis {days} jours, proposée d'après l'écart "
        "habituel entre commandes de la boutique ; modifiable sur la page Rétention.",
        "en": "Definition: no order for {days} days, proposed from the shop's usual time "
        "between orders; editable on the Retention page.",
    },
    "overview.tile.churn_chosen": {
        "fr": "Définition : aucune commande depuis {days} jours, choisie sur la page Rétention.",
        "en": "Definition: no order for {days} days, as chosen on the Retention page.",
    },
    "overview.tile.no_nps": {
        "fr": "Importez les réponses à l'enquête NPS pour voir ce que disent les clients.",
        "en": "Upload the NPS survey answers to see what customers say.",
    },
    "overview.tile.nps": {"fr": "NPS", "en": "NPS"},
    "overview.tile.nps_help": {
        "fr": "% promoteurs (9-10) − % détracteurs (0-6) : {promoters} promoteurs et "
        "{detractors} détracteurs sur {answers} réponses de la période.",
        "en": "% promoters (9-10) − % detractors (0-6): {promoters} promoters and "
        "{detractors} detractors out of {answers} answers in the period.",
    },
    "overview.tile.nps_interval": {
        "fr": "Intervalle à 95 % : {low} à {high}. Repère : au-dessus de 0, plus de "
        "promoteurs que de détracteurs.",
        "en": "95 % interval: {low} to {high}. Benchmark: above 0, more promoters than detractors.",
    },
    "overview.tile.nps_none": {
        "fr": "Aucune réponse dans la période filtrée.",
        "en": "No answer in the filtered period.",
    },
    "overview.tile.existing": {
        "fr": "Part du CA des clients existants",
        "en": "Revenue share of existing customers",
    },
    "overview.tile.existing_help": {
        "fr": "CA net des commandes qui ne sont pas la première commande payée du client "
        "÷ CA net des commandes clients de la période (commandes invités exclues).",
        "en": "Net revenue of orders that are not the customer's first paid order ÷ net "
        "revenue of the customers' orders in the period (guest orders left out).",
    },
    "overview.tile.existing_benchmark": {
        "fr": "Repère e-commerce français : environ {benchmark}.",
        "en": "French e-commerce figure: about {benchmark}.",
    },
    "overview.tile.repeat": {
        "fr": "Réachat sous {days} jours : {rate} des {customers} nouveaux clients mesurables.",
        "en": "Repeat within {days} days: {rate} of the {customers} measurable new customers.",
    },
}
