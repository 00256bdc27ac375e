"""Words of the loyalty page, in French and English (see :mod:`clv.i18n.texts`)."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    "loyalty.title": {"fr": "Fidélité : le réachat", "en": "Loyalty: repeat purchase"},
    "loyalty.purpose": {
        "fr": "Combien de nouveaux clients reviennent, au bout de combien de temps, avec quel "
        "panier, et quelle part du chiffre d'affaires vient des clients déjà acquis.",
        "en": "How many new customers come back, after how long, with what basket, and how "
        "much of the revenue comes from customers already won.",
    },
    "loyalty.empty": {
        "fr": "Cette page a besoin des **commandes** : le réachat se lit dans l'historique "
        "des commandes payées de chaque client.",
        "en": "This page needs the **orders**: repeat purchase is read from each "
        "customer's history of paid orders.",
    },
    # -- tiles ----------------------------------------------------------------------------
    "loyalty.kpi.repeat": {
        "fr": "Réachat sous {days} jours",
        "en": "Repeat within {days} days",
    },
    "loyalty.kpi.repeat_help": {
        "fr": "{repeated} des {customers} nouveaux clients des cohortes {first} à {last} ont "
        "racheté dans les {days} jours suivant leur premier jour d'achat ({rate}). Seules "
        "comptent les cohortes observées {days} jours après le dernier jour de leur mois : "
        "les plus récentes sont trop jeunes pour être mesurées. Plusieurs commandes le même "
        "jour comptent pour un seul achat.",
        "en": "{repeated} of the {customers} new customers of the cohorts {first} to {last} "
        "bought again within {days} days of their first purchase day ({rate}). Only cohorts "
        "observed for {days} days after the last day of their month count: the most recent "
        "ones are too young to be measured. Several orders on one day count as one purchase.",
    },
    "loyalty.kpi.repeat_cohorts": {
        "fr": "Cohortes {first} à {last} · {customers} nouveaux clients",
        "en": "Cohorts {first} to {last} · {customers} new customers",
    },
    "loyalty.kpi.repeat_none": {
        "fr": "Aucune cohorte n'est encore assez ancienne pour {days} jours.",
        "en": "No cohort is old enough yet for {days} days.",
    },
    "loyalty.kpi.basket": {
        "fr": "Panier de réachat vs premier panier",
        "en": "Repeat basket vs first basket",
    },
    "loyalty.kpi.basket_help": {
        "fr": "Panier moyen des commandes de réachat (2e et suivantes), {repeat} sur "
        "{repeat_orders} commandes, ÷ panier moyen des premières commandes, {first} sur "
        "{first_orders} commandes, − 1. Commandes de la période ; le rang compte tout "
        "l'historique du client. Panier = montant net de la commande.",
        "en": "Average basket of repeat orders (2nd and later), {repeat} over {repeat_orders} "
        "orders, ÷ average basket of first orders, {first} over {first_orders} orders, − 1. "
        "Orders of the period; the rank counts the customer's whole history. Basket = net "
        "amount of the order.",
    },
    "loyalty.kpi.basket_caption": {
        "fr": "{repeat} contre {first}. Repère marché : environ {benchmark} pour les clients "
        "qui reviennent.",
        "en": "{repeat} against {first}. Market figure: about {benchmark} for repeat customers.",
    },
    "loyalty.kpi.existing": {
        "fr": "Part du CA des clients existants",
        "en": "Revenue share of existing customers",
    },
    "loyalty.kpi.existing_help": {
        "fr": "CA net des commandes de réachat (2e commande et suivantes de chaque client), "
        "{existing}, ÷ CA net de toutes les commandes des clients, {total}, sur la période. "
        "Les commandes sans compte client ne comptent ni d'un côté ni de l'autre.",
        "en": "Net revenue of repeat orders (each customer's 2nd order and later), "
        "{existing}, ÷ net revenue of every customer order, {total}, over the period. "
        "Guest orders count on neither side.",
    },
    "loyalty.kpi.existing_caption": {
        "fr": "Repère e-commerce français : environ {benchmark}.",
        "en": "French e-commerce figure: about {benchmark}.",
    },
    "loyalty.kpi.gap": {
        "fr": "Délai médian entre deux achats",
        "en": "Median time between orders",
    },
    "loyalty.kpi.gap_value": {"fr": "{days} jours", "en": "{days} days"},
    "loyalty.kpi.gap_help": {
        "fr": "Médiane des {gaps} écarts entre deux jours d'achat consécutifs d'un même "
        "client, dont le second tombe dans la période. Plusieurs commandes le même jour "
        "comptent pour un seul achat.",
        "en": "Median of the {gaps} gaps between two consecutive purchase days of the same "
        "customer whose later day falls in the period. Several orders on one day count as "
        "one purchase.",
    },
    "loyalty.kpi.gap_caption": {
        "fr": "La moitié des réachats arrive dans les {days} jours qui suivent l'achat précédent.",
        "en": "Half of the repeat purchases come within {days} days of the previous one.",
    },
    "loyalty.kpi.gap_none": {
        "fr": "Aucun réachat sur la période.",
        "en": "No repeat purchase in the period.",
    },
    "loyalty.explain": {
        "fr": "Un **nouveau client** appartient à la **cohorte** du mois de sa première "
        "commande payée. Un **réachat** est un nouveau jour d'achat après le premier. Les "
        "filtres de période retiennent les cohortes (réachat) ou les commandes (paniers, "
        "CA, délais) de la période.",
        "en": "A **new customer** belongs to the **cohort** of the month of their first paid "
        "order. A **repeat purchase** is a later purchase day. The period filter keeps the "
        "cohorts (repeat rates) or the orders (baskets, revenue, gaps) of the period.",
    },
    # -- sections and charts --------------------------------------------------------------
    "loyalty.section.repeat": {
        "fr": "Réachat par cohorte",
        "en": "Repeat purchase by cohort",
    },
    "loyalty.repeat.chart.title": {
        "fr": "Réachat par mois de première commande (% de la cohorte)",
        "en": "Repeat purchase by month of first order (% of the cohort)",
    },
    "loyalty.repeat.chart.x": {"fr": "Mois de première commande", "en": "Month of first order"},
    "loyalty.repeat.chart.y": {"fr": "% de la cohorte", "en": "% of the cohort"},
    "loyalty.repeat.chart.window": {"fr": "Sous {days} jours", "en": "Within {days} days"},
    "loyalty.repeat.chart.customers": {"fr": "Nouveaux clients", "en": "New customers"},
    "loyalty.repeat.note": {
        "fr": "Seules les cohortes mesurables pour au moins un délai sont tracées ; une "
        "courbe s'arrête là où la cohorte est trop jeune pour son délai.",
        "en": "Only cohorts measurable for at least one window are drawn; a line stops where "
        "the cohort is too young for its window.",
    },
    "loyalty.repeat.none": {
        "fr": "Aucune cohorte de la période n'est encore assez ancienne pour mesurer le "
        "réachat à 30 jours.",
        "en": "No cohort of the period is old enough yet to measure repeat purchase within "
        "30 days.",
    },
    "loyalty.repeat.table": {"fr": "Tableau par cohorte", "en": "Table by cohort"},
    "loyalty.repeat.table_note": {
        "fr": "Une case vide : cohorte trop jeune pour ce délai.",
        "en": "An empty cell: the cohort is too young for that window.",
    },
    "loyalty.col.cohort": {"fr": "Cohorte", "en": "Cohort"},
    "loyalty.col.new_customers": {"fr": "Nouveaux clients", "en": "New customers"},
    "loyalty.col.rate": {"fr": "Sous {days} jours", "en": "Within {days} days"},
    "loyalty.section.gaps": {"fr": "Délai entre deux achats", "en": "Time between orders"},
    "loyalty.gaps.chart.title": {
        "fr": "Délai entre deux achats d'un même client (jours)",
        "en": "Time between two purchases of the same customer (days)",
    },
    "loyalty.gaps.chart.x": {
        "fr": "Jours depuis l'achat précédent du client",
        "en": "Days since the customer's previous purchase",
    },
    "loyalty.gaps.chart.y": {"fr": "Réachats", "en": "Repeat purchases"},
    "loyalty.gaps.chart.median": {"fr": "Médiane : {days} jours", "en": "Median: {days} days"},
    "loyalty.gaps.chart.range": {"fr": "{low} à {high} jours", "en": "{low} to {high} days"},
    "loyalty.gaps.chart.clip_note": {
        "fr": "Les {count} écarts de plus de {days} jours ({share}) sont comptés dans la "
        "dernière barre.",
        "en": "The {count} gaps over {days} days ({share} of them) are counted in the last bar.",
    },
    "loyalty.gaps.none": {
        "fr": "Aucun réachat sur la période : pas de délai à montrer.",
        "en": "No repeat purchase in the period: no gap to show.",
    },
    "loyalty.section.basket": {"fr": "Panier moyen", "en": "Average basket"},
    "loyalty.rank.chart.title": {
        "fr": "Panier moyen par rang de commande ({currency})",
        "en": "Average basket by order rank ({currency})",
    },
    "loyalty.rank.chart.x": {"fr": "Commande du client", "en": "Order of the customer"},
    "loyalty.basket.chart.y": {
        "fr": "Panier moyen ({currency})",
        "en": "Average basket ({currency})",
    },
    "loyalty.basket.chart.orders": {"fr": "Commandes", "en": "Orders"},
    "loyalty.rank.1st": {"fr": "1re", "en": "1st"},
    "loyalty.rank.2nd": {"fr": "2e", "en": "2nd"},
    "loyalty.rank.3rd": {"fr": "3e", "en": "3rd"},
    "loyalty.rank.4th+": {"fr": "4e et +", "en": "4th+"},
    "loyalty.tenure.chart.title": {
        "fr": "Panier moyen selon l'ancienneté du client ({currency})",
        "en": "Average basket by customer tenure ({currency})",
    },
    "loyalty.tenure.chart.x": {
        "fr": "Temps écoulé depuis la première commande",
        "en": "Time since the first order",
    },
    "loyalty.tenure.0-3 months": {"fr": "0-3 mois", "en": "0-3 months"},
    "loyalty.tenure.3-6 months": {"fr": "3-6 mois", "en": "3-6 months"},
    "loyalty.tenure.6-12 months": {"fr": "6-12 mois", "en": "6-12 months"},
    "loyalty.tenure.12-24 months": {"fr": "12-24 mois", "en": "12-24 months"},
    "loyalty.tenure.24+ months": {"fr": "24 mois et +", "en": "24+ months"},
    "loyalty.basket.note": {
        "fr": "Rang : place de la commande parmi toutes les commandes payées du client, "
        "quelle que soit la période affichée. Ancienneté : mois écoulés depuis le premier "
        "jour d'achat ; les premières commandes sont dans « 0-3 mois ».",
        "en": "Rank: the order's place among all the customer's paid orders, whatever the "
        "period shown. Tenure: months since the first purchase day; first orders are in "
        '"0-3 months".',
    },
    "loyalty.basket.none": {
        "fr": "Aucune commande client sur la période.",
        "en": "No customer order in the period.",
    },
    "loyalty.col.rank": {"fr": "Rang", "en": "Rank"},
    "loyalty.col.tenure": {"fr": "Ancienneté", "en": "Tenure"},
    "loyalty.col.orders": {"fr": "Commandes", "en": "Orders"},
    "loyalty.col.average_basket": {
        "fr": "Panier moyen ({currency})",
        "en": "Average basket ({currency})",
    },
    "loyalty.section.split": {
        "fr": "CA des clients existants et des nouveaux clients",
        "en": "Revenue from existing and new customers",
    },
    "loyalty.split.chart.title": {
        "fr": "CA net des nouveaux et des clients existants par mois ({currency})",
        "en": "Net revenue of new and existing customers by month ({currency})",
    },
    "loyalty.split.chart.y": {"fr": "CA net ({currency})", "en": "Net revenue ({currency})"},
    "loyalty.split.chart.y2": {
        "fr": "Clients existants (% du CA)",
        "en": "Existing customers (% of revenue)",
    },
    "loyalty.split.chart.new": {
        "fr": "Nouveaux clients (1re commande)",
        "en": "New customers (first order)",
    },
    "loyalty.split.chart.existing": {
        "fr": "Clients existants (réachats)",
        "en": "Existing customers (repeat orders)",
    },
    "loyalty.split.chart.share": {
        "fr": "Part des clients existants",
        "en": "Share of existing customers",
    },
    "loyalty.split.chart.benchmark": {
        "fr": "E-commerce français : environ {share}",
        "en": "French e-commerce: about {share}",
    },
    "loyalty.split.none": {
        "fr": "Aucune commande client sur la période.",
        "en": "No customer order in the period.",
    },
    "loyalty.split.table": {"fr": "Tableau par mois", "en": "Table by month"},
    "loyalty.col.month": {"fr": "Mois", "en": "Month"},
    "loyalty.col.new_revenue": {
        "fr": "CA nouveaux clients ({currency})",
        "en": "New customers' revenue ({currency})",
    },
    "loyalty.col.existing_revenue": {
        "fr": "CA clients existants ({currency})",
        "en": "Existing customers' revenue ({currency})",
    },
    "loyalty.col.existing_share": {
        "fr": "Part des clients existants",
        "en": "Existing customers' share",
    },
}
