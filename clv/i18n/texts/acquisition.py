"""Words of the acquisition page, in French and English (see :mod:`clv.i18n.texts`)."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    "acquisition.title": {
        "fr": "Acquisition : CAC et CLV/CAC par canal",
        "en": "Acquisition: CAC and CLV/CAC by channel",
    },
    "acquisition.purpose": {
        "fr": "Ce que coûte un nouveau client dans chaque canal (CAC), face à la marge qu'il "
        "doit rapporter (CLV), et en combien de mois cette dépense est remboursée.",
        "en": "What a new customer costs in each channel (CAC), against the margin they are "
        "expected to bring (CLV), and how many months it takes to earn that spend back.",
    },
    "acquisition.empty": {
        "fr": "**L'acquisition a besoin de deux fichiers.** Vos **commandes** disent qui est "
        "devenu client, quand, et par quel canal ; vos **dépenses publicitaires** par canal "
        "disent ce que chaque canal a coûté. Le CAC vaut dépenses ÷ nouveaux clients : l'un "
        "sans l'autre ne donne aucun chiffre.",
        "en": "**Acquisition needs two files.** Your **orders** tell who became a customer, "
        "when and through which channel; your **ad spend** by channel tells what each channel "
        "cost. CAC is spend ÷ new customers: one without the other gives no figure.",
    },
    "acquisition.tiers_note": {
        "fr": ":material/info: Le filtre de segments de valeur ne s'applique pas sur cette "
        "page : les dépenses publicitaires ne se répartissent pas par client.",
        "en": ":material/info: The value-tier filter does not apply on this page: ad spend "
        "cannot be split by customer.",
    },
    "acquisition.unknown_channel": {"fr": "Canal inconnu", "en": "Unknown channel"},
    "acquisition.nothing_in_period": {
        "fr": "Ni dépense ni nouveau client sur la période et les canaux choisis. Élargissez "
        "les filtres dans la barre latérale.",
        "en": "No spend and no new customer in the chosen period and channels. Widen the "
        "filters in the sidebar.",
    },
    "acquisition.no_clv": {
        "fr": "Pas de CLV prédite : il faut des clients ayant commandé au moins deux fois "
        "(la page CLV dit ce qui manque). Le CAC est calculé ; la CLV moyenne et le ratio "
        "CLV/CAC restent vides.",
        "en": "No predicted CLV: it needs customers who ordered at least twice (the CLV page "
        "says what is missing). CAC is computed; the average CLV and the CLV/CAC ratio stay "
        "empty.",
    },
    # -- bands and readings ---------------------------------------------------------------
    "acquisition.band.loses_money": {
        "fr": "Perd de l'argent (moins de 1)",
        "en": "Loses money (below 1)",
    },
    "acquisition.band.break_even": {
        "fr": "À l'équilibre (environ 1)",
        "en": "Break-even (about 1)",
    },
    "acquisition.band.optimise": {
        "fr": "À optimiser (de 1 à 3)",
        "en": "To optimise (1 to 3)",
    },
    "acquisition.band.healthy": {"fr": "Sain (3 ou plus)", "en": "Healthy (3 or more)"},
    "acquisition.reading.no_customers": {
        "fr": "Dépenses sans nouveau client",
        "en": "Spend without new customers",
    },
    "acquisition.reading.no_spend": {
        "fr": "Aucune dépense (organique, ou dépenses non importées)",
        "en": "No spend (organic, or spend not uploaded)",
    },
    "acquisition.reading.no_clv": {
        "fr": "CLV prédite inconnue",
        "en": "Predicted CLV unknown",
    },
    # -- KPI tiles -------------------------------------------------------------------------
    "acquisition.kpi.blended": {"fr": "CAC global", "en": "Blended CAC"},
    "acquisition.kpi.blended_help": {
        "fr": "Dépenses totales de la période {spend} ÷ tous les nouveaux clients {customers}, "
        "organiques compris.",
        "en": "Total spend of the period {spend} ÷ every new customer {customers}, organic "
        "ones included.",
    },
    "acquisition.kpi.blended_caption": {
        "fr": "Dont {organic} nouveaux clients venus de canaux sans dépense.",
        "en": "Of whom {organic} new customers came through channels without spend.",
    },
    "acquisition.kpi.paid": {"fr": "CAC des canaux payants", "en": "Paid-only CAC"},
    "acquisition.kpi.paid_help": {
        "fr": "Dépenses totales {spend} ÷ nouveaux clients des canaux avec dépenses {customers}.",
        "en": "Total spend {spend} ÷ new customers of the channels with spend {customers}.",
    },
    "acquisition.kpi.paid_caption": {
        "fr": "Le coût réel d'un client payé ; le CAC global le dilue avec l'organique.",
        "en": "The real cost of a paid customer; the blended CAC dilutes it with organic ones.",
    },
    "acquisition.kpi.ratio": {"fr": "CLV/CAC des canaux payants", "en": "CLV/CAC of paid channels"},
    "acquisition.kpi.ratio_help": {
        "fr": "CLV totale (marge déjà réalisée + marge prédite) des clients acquis par les "
        "canaux avec dépenses ({value}) ÷ dépenses de ces canaux sur la période ({spend}).",
        "en": "Total CLV (margin earned so far + predicted margin) of the customers acquired "
        "by channels with spend ({value}) ÷ the spend of those channels over the period "
        "({spend}).",
    },
    "acquisition.kpi.ratio_benchmark": {
        "fr": "Repère : {benchmark} : 1 ou plus est sain.",
        "en": "Benchmark: {benchmark}:1 or more is healthy.",
    },
    "acquisition.kpi.here.loses_money": {
        "fr": "Ici : chaque client rapporte moins qu'il ne coûte.",
        "en": "Here: each customer brings in less than they cost.",
    },
    "acquisition.kpi.here.break_even": {"fr": "Ici : à l'équilibre.", "en": "Here: break-even."},
    "acquisition.kpi.here.optimise": {
        "fr": "Ici : rentable, à optimiser.",
        "en": "Here: profitable, to optimise.",
    },
    "acquisition.kpi.here.healthy": {"fr": "Ici : sain.", "en": "Here: healthy."},
    "acquisition.kpi.here.none": {
        "fr": "Ratio inconnu : aucun canal n'a à la fois des dépenses et des clients valorisés.",
        "en": "Ratio unknown: no channel has both spend and valued customers.",
    },
    "acquisition.kpi.payback": {
        "fr": "Remboursement médian",
        "en": "Median payback",
    },
    "acquisition.kpi.payback_value": {"fr": "{months} mois", "en": "{months} months"},
    "acquisition.kpi.payback_not_reached": {"fr": "Pas encore atteint", "en": "Not reached yet"},
    "acquisition.kpi.payback_help": {
        "fr": "Médiane, sur {cohorts} cohortes (mois × canal) avec dépenses, du premier mois où "
        "la marge cumulée par client acquis atteint le CAC de la cohorte ; {paid} sont déjà "
        "remboursées, les autres comptent comme plus lentes. Marge : prix − coût, sinon "
        "{rate} du chiffre d'affaires.",
        "en": "Median, over {cohorts} cohorts (month × channel) with spend, of the first month "
        "in which the cumulative margin per acquired customer reaches the cohort's CAC; {paid} "
        "are paid back so far, the others count as slower. Margin: price − cost, else {rate} "
        "of revenue.",
    },
    "acquisition.kpi.payback_caption": {
        "fr": "0 mois : remboursé dès le mois de la première commande.",
        "en": "0 months: paid back within the month of the first order.",
    },
    # -- warnings ----------------------------------------------------------------------------
    "acquisition.warning.spend_without_customers": {
        "fr": "**{channel}** : {spend} de dépenses mais aucun nouveau client ({customers}). "
        "Le nom diffère sans doute entre l'export publicitaire et la boutique : ajoutez une "
        "correspondance en bas de page.",
        "en": "**{channel}**: {spend} of spend but no new customer ({customers}). The name "
        "probably differs between the ad export and the shop: add a name match at the bottom "
        "of the page.",
    },
    "acquisition.warning.customers_without_spend": {
        "fr": "**{channel}** : {customers} nouveaux clients mais aucune dépense ({spend}). "
        "Canal organique, ou export de dépenses manquant ou nommé autrement.",
        "en": "**{channel}**: {customers} new customers but no spend ({spend}). An organic "
        "channel, or its spend export is missing or named differently.",
    },
    # -- the finance table --------------------------------------------------------------------
    "acquisition.table.title": {"fr": "CLV/CAC par canal", "en": "CLV/CAC by channel"},
    "acquisition.table.download": {
        "fr": "Tableau par canal (CSV)",
        "en": "Table by channel (CSV)",
    },
    "acquisition.table.explain": {
        "fr": "**CAC moyen** = dépenses du canal ÷ ses nouveaux clients sur la période. "
        "**CLV moyenne** = pour ces mêmes clients, marge brute déjà réalisée (première "
        "commande comprise) + marge prédite par la page CLV sur son horizon. "
        "**CLV/CAC** : moins de 1, chaque client coûte plus qu'il ne rapporte ; environ 1, "
        "équilibre ; de 1 à 3, rentable mais à optimiser ; 3 ou plus, sain.",
        "en": "**Average CAC** = the channel's spend ÷ its new customers over the period. "
        "**Average CLV** = for those same customers, the gross margin already earned (first "
        "order included) + the margin the CLV page predicts over its horizon. "
        "**CLV/CAC**: below 1, each customer costs more than they bring; about 1, break-even; "
        "1 to 3, profitable but to optimise; 3 or more, healthy.",
    },
    "acquisition.col.channel": {"fr": "Canal", "en": "Channel"},
    "acquisition.col.average_cac": {
        "fr": "CAC moyen ({currency})",
        "en": "Average CAC ({currency})",
    },
    "acquisition.col.average_clv": {
        "fr": "CLV moyenne ({currency})",
        "en": "Average CLV ({currency})",
    },
    "acquisition.col.ratio": {"fr": "CLV/CAC", "en": "CLV/CAC"},
    "acquisition.col.ratio_help": {
        "fr": "CLV moyenne ÷ CAC moyen. Repère : 3 ou plus.",
        "en": "Average CLV ÷ average CAC. Benchmark: 3 or more.",
    },
    "acquisition.col.interpretation": {"fr": "Lecture", "en": "Interpretation"},
    "acquisition.col.spend": {"fr": "Dépenses ({currency})", "en": "Spend ({currency})"},
    "acquisition.col.new_customers": {"fr": "Nouveaux clients", "en": "New customers"},
    "acquisition.col.payback": {
        "fr": "Remboursé en (mois)",
        "en": "Paid back in (months)",
    },
    "acquisition.col.payback_help": {
        "fr": "Premier mois après l'acquisition (0 = le mois de la première commande) où la "
        "marge cumulée par client des cohortes du canal atteint le CAC moyen. Un tiret : "
        "aucune dépense, rien à rembourser.",
        "en": "First month after acquisition (0 = the month of the first order) in which the "
        "cumulative margin per customer of the channel's cohorts reaches the average CAC. "
        "A dash: no spend, nothing to pay back.",
    },
    "acquisition.not_yet": {"fr": "Pas encore", "en": "Not yet"},
    "acquisition.col.cohort": {"fr": "Cohorte", "en": "Cohort"},
    "acquisition.col.cohort_cac": {
        "fr": "CAC de la cohorte ({currency})",
        "en": "CAC of the cohort ({currency})",
    },
    "acquisition.col.cohort_payback_help": {
        "fr": "Premier mois où la marge cumulée par client de la cohorte atteint son CAC "
        "(0 = le mois de la première commande).",
        "en": "First month in which the cohort's cumulative margin per customer reaches its "
        "CAC (0 = the month of the first order).",
    },
    # -- charts --------------------------------------------------------------------------------
    "acquisition.chart.ratio.title": {
        "fr": "CLV/CAC par canal d'acquisition (ratio ; 3 : 1 est sain)",
        "en": "CLV/CAC by acquisition channel (ratio; 3:1 is healthy)",
    },
    "acquisition.chart.ratio.x": {"fr": "CLV/CAC", "en": "CLV/CAC"},
    "acquisition.chart.ratio.break_even": {"fr": "1 : équilibre", "en": "1: break-even"},
    "acquisition.chart.ratio.healthy": {"fr": "3 : sain", "en": "3: healthy"},
    "acquisition.trend.title": {"fr": "CAC par mois", "en": "CAC by month"},
    "acquisition.chart.trend.title": {
        "fr": "CAC par mois et par canal ({currency} par nouveau client)",
        "en": "CAC by month and channel ({currency} per new customer)",
    },
    "acquisition.chart.trend.x": {"fr": "Mois d'acquisition", "en": "Month of acquisition"},
    "acquisition.chart.trend.y": {"fr": "CAC ({currency})", "en": "CAC ({currency})"},
    "acquisition.payback.title": {
        "fr": "Remboursement du CAC par cohorte",
        "en": "CAC payback by cohort",
    },
    "acquisition.payback.explain": {
        "fr": "Chaque courbe suit une cohorte (les clients acquis un même mois par le canal "
        "choisi) : sa marge brute cumulée par client acquis, en % de son CAC. La cohorte est "
        "remboursée quand sa courbe passe 100 %. Marge : prix − coût, sinon {rate} du chiffre "
        "d'affaires (réglage de la page CLV).",
        "en": "Each curve follows a cohort (the customers the chosen channel acquired in one "
        "month): its cumulative gross margin per acquired customer, as a % of its CAC. The "
        "cohort is paid back when its curve passes 100 %. Margin: price − cost, else {rate} of "
        "revenue (set on the CLV page).",
    },
    "acquisition.payback.none": {
        "fr": "Aucune cohorte avec dépenses sur la période : rien à rembourser.",
        "en": "No cohort with spend in the period: nothing to pay back.",
    },
    "acquisition.payback.channel": {"fr": "Canal", "en": "Channel"},
    "acquisition.chart.payback.title": {
        "fr": "{channel} : marge cumulée par client acquis face au CAC, par cohorte (% du CAC "
        "de la cohorte)",
        "en": "{channel}: cumulative margin per acquired customer against CAC, by cohort (% of "
        "the cohort's CAC)",
    },
    "acquisition.chart.payback.x": {
        "fr": "Mois depuis l'acquisition (0 = mois de la première commande)",
        "en": "Months since acquisition (0 = month of the first order)",
    },
    "acquisition.chart.payback.y": {
        "fr": "Marge par client / CAC (%)",
        "en": "Margin per customer / CAC (%)",
    },
    "acquisition.chart.payback.subtitle": {
        "fr": "Clair : cohortes anciennes, foncé : récentes ; survolez une courbe pour sa cohorte.",
        "en": "Light: older cohorts, dark: recent ones; hover over a curve for its cohort.",
    },
    "acquisition.chart.payback.line": {
        "fr": "100 % = CAC remboursé",
        "en": "100 % = CAC paid back",
    },
    "acquisition.chart.payback.margin": {
        "fr": "Marge cumulée par client ({currency})",
        "en": "Cumulative margin per customer ({currency})",
    },
    "acquisition.chart.payback.cac": {
        "fr": "CAC de la cohorte ({currency})",
        "en": "CAC of the cohort ({currency})",
    },
    # -- channel aliases --------------------------------------------------------------------
    "acquisition.aliases.title": {
        "fr": "Correspondance des noms de canaux",
        "en": "Matching channel names",
    },
    "acquisition.aliases.explain": {
        "fr": "Un même canal porte souvent deux noms : « facebook » dans l'export publicitaire, "
        "« Meta Ads » dans la boutique. Chaque ligne dit qu'un nom trouvé dans un export "
        "désigne un canal ; la casse, les accents et les espaces sont ignorés. Les chiffres "
        "de toutes les pages changent dès l'enregistrement.",
        "en": "The same channel often has two names: “facebook” in the ad export, “Meta Ads” "
        "in the shop. Each row says that a name found in an export stands for a channel; "
        "case, accents and spaces are ignored. The figures of every page change as soon as "
        "you save.",
    },
    "acquisition.aliases.spend_names": {
        "fr": "Noms dans les dépenses : {names}",
        "en": "Names in the ad spend: {names}",
    },
    "acquisition.aliases.shop_names": {
        "fr": "Noms dans la boutique : {names}",
        "en": "Names in the shop: {names}",
    },
    "acquisition.aliases.col.alias": {"fr": "Nom dans l'export", "en": "Name in the export"},
    "acquisition.aliases.col.alias_help": {
        "fr": "Le nom tel qu'il apparaît dans un export (dépenses, clients ou commandes).",
        "en": "The name as it appears in an export (spend, customers or orders).",
    },
    "acquisition.aliases.col.channel": {"fr": "Canal", "en": "Channel"},
    "acquisition.aliases.col.channel_help": {
        "fr": "Le canal qu'il désigne, tel qu'il doit s'afficher.",
        "en": "The channel it stands for, as it should be shown.",
    },
    "acquisition.aliases.draft": {
        "fr": ":material/edit_note: Proposition non enregistrée : vérifiez-la, puis enregistrez.",
        "en": ":material/edit_note: Proposal not saved yet: check it, then save.",
    },
    "acquisition.aliases.propose": {"fr": "Proposer des correspondances", "en": "Propose matches"},
    "acquisition.aliases.propose_help": {
        "fr": "Rapproche les noms d'une même régie (facebook, instagram, meta → Meta Ads ; "
        "google, adwords → Google Ads) et ceux qui ne diffèrent que par la casse ou les "
        "accents. Rien n'est enregistré avant « Enregistrer ».",
        "en": "Pairs the names of one ad platform (facebook, instagram, meta → Meta Ads; "
        "google, adwords → Google Ads) and names that differ only by case or accents. "
        "Nothing is saved before “Save”.",
    },
    "acquisition.aliases.save": {"fr": "Enregistrer", "en": "Save"},
    "acquisition.aliases.discard": {
        "fr": "Abandonner la proposition",
        "en": "Discard the proposal",
    },
    "acquisition.aliases.one_side": {
        "fr": "Non enregistré : la ligne « {name} » n'a qu'un côté. Donnez le nom dans "
        "l'export et le canal, ou supprimez la ligne.",
        "en": "Not saved: the row “{name}” has only one side. Give both the name in the "
        "export and the channel, or delete the row.",
    },
    "acquisition.aliases.refused": {
        "fr": "Non enregistré : {error}",
        "en": "Not saved: {error}",
    },
    "acquisition.aliases.saved": {
        "fr": "Correspondances enregistrées ({count}). Les chiffres ci-dessus en tiennent compte.",
        "en": "Name matches saved ({count}). The figures above now use them.",
    },
    "acquisition.aliases.nothing_to_propose": {
        "fr": "Rien à proposer : aucun nom ne ressemble à un autre, ou une correspondance "
        "existe déjà.",
        "en": "Nothing to propose: no name looks like another, or a match already exists.",
    },
    "acquisition.aliases.proposed": {
        "fr": "{count} correspondances proposées, ajoutées au tableau. Vérifiez-les, puis "
        "enregistrez.",
        "en": "{count} matches proposed and added to the table. Check them, then save.",
    },
}
