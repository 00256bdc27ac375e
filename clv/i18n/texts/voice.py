"""Words of the voice page, in French and English (see :mod:`clv.i18n.texts`)."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    # -- header and empty states
    "voice.title": {"fr": "Voix du client", "en": "Voice of the customer"},
    "voice.purpose": {
        "fr": "Le Net Promoter Score (NPS) par segment, la valeur prédite que détiennent les "
        "promoteurs et les détracteurs, et la charge du support par segment de valeur.",
        "en": "The Net Promoter Score (NPS) by segment, the predicted value held by promoters "
        "and detractors, and the support load by value tier.",
    },
    "voice.empty": {
        "fr": "Aucune réponse NPS pour l'instant. Cette page a besoin des réponses à la "
        "question « Recommanderiez-vous… ? » (note de 0 à 10), avec l'e-mail du répondant "
        "pour les rattacher à vos clients.",
        "en": "No NPS answers yet. This page needs the answers to the “Would you recommend…?” "
        "question (a score from 0 to 10), with the respondent's email so they can be matched "
        "to your customers.",
    },
    "voice.no_answers": {
        "fr": "Aucune réponse NPS ne correspond aux filtres choisis. Élargissez la période ou "
        "retirez les filtres de canal et de segment.",
        "en": "No NPS answer matches the chosen filters. Widen the period or clear the channel "
        "and tier filters.",
    },
    "voice.no_valuation": {
        "fr": "Aucune CLV prédite n'est disponible (il faut des commandes et des clients qui "
        "rachètent) : la valeur détenue par groupe NPS, le NPS par segment de valeur et les "
        "tickets par segment ne sont pas affichés.",
        "en": "No predicted CLV is available (it needs orders and customers who buy again): "
        "the value held by NPS group, the NPS by value tier and the tickets by tier are not "
        "shown.",
    },
    # -- tiles
    "voice.kpi.nps": {"fr": "NPS global", "en": "Overall NPS"},
    "voice.kpi.nps_help": {
        "fr": "% de promoteurs (notes 9-10) − % de détracteurs (notes 0-6), de −100 à 100 : "
        "{promoters_share} − {detractors_share} = {nps}, sur {answers} réponses "
        "({promoters} promoteurs, {passives} passifs, {detractors} détracteurs), y compris "
        "celles rattachées à aucun client. Intervalle à 95 % : NPS ± 1,96 × "
        "√((p + d − (p − d)²) / n) × 100, où p et d sont les parts de promoteurs et de "
        "détracteurs et n le nombre de réponses.",
        "en": "% promoters (scores 9-10) − % detractors (scores 0-6), from −100 to 100: "
        "{promoters_share} − {detractors_share} = {nps}, over {answers} answers "
        "({promoters} promoters, {passives} passives, {detractors} detractors), including "
        "those that match no customer. 95 % interval: NPS ± 1.96 × √((p + d − (p − d)²) / n) "
        "× 100, where p and d are the shares of promoters and detractors and n the answers.",
    },
    "voice.kpi.interval": {
        "fr": "Intervalle à 95 % : {low} à {high} · {answers} réponses",
        "en": "95 % interval: {low} to {high} · {answers} answers",
    },
    "voice.benchmark.above": {
        "fr": "**Repère :** au-dessus de 0, même en bas de l'intervalle : plus de promoteurs "
        "que de détracteurs.",
        "en": "**Benchmark:** above 0 even at the low end of the interval: more promoters than "
        "detractors.",
    },
    "voice.benchmark.below": {
        "fr": "**Repère :** sous 0, même en haut de l'intervalle : plus de détracteurs que de "
        "promoteurs.",
        "en": "**Benchmark:** below 0 even at the high end of the interval: more detractors "
        "than promoters.",
    },
    "voice.benchmark.unclear": {
        "fr": "**Repère :** au-dessus de 0, il y a plus de promoteurs que de détracteurs. "
        "L'intervalle contient 0 : ces réponses ne permettent pas encore de trancher.",
        "en": "**Benchmark:** above 0 means more promoters than detractors. The interval "
        "includes 0: these answers cannot tell yet.",
    },
    "voice.benchmark.basis": {
        "fr": "Aucune moyenne sectorielle n'est utilisée : le NPS dépend trop du moment et du "
        "canal de l'enquête pour se comparer d'une boutique à l'autre. Le seul repère sûr est "
        "le signe.",
        "en": "No sector average is used: the NPS depends too much on when and how the survey "
        "is sent to compare across shops. The one safe benchmark is the sign.",
    },
    "voice.kpi.promoters": {"fr": "Promoteurs (9-10)", "en": "Promoters (9-10)"},
    "voice.kpi.promoters_help": {
        "fr": "Réponses notées 9 ou 10 : {count} sur {answers}.",
        "en": "Answers scoring 9 or 10: {count} of {answers}.",
    },
    "voice.kpi.passives": {"fr": "Passifs (7-8)", "en": "Passives (7-8)"},
    "voice.kpi.passives_help": {
        "fr": "Réponses notées 7 ou 8 : {count} sur {answers}. Elles comptent dans le total "
        "mais ni pour ni contre le NPS.",
        "en": "Answers scoring 7 or 8: {count} of {answers}. They count in the total but "
        "neither for nor against the NPS.",
    },
    "voice.kpi.detractors": {"fr": "Détracteurs (0-6)", "en": "Detractors (0-6)"},
    "voice.kpi.detractors_help": {
        "fr": "Réponses notées de 0 à 6 : {count} sur {answers}.",
        "en": "Answers scoring 0 to 6: {count} of {answers}.",
    },
    "voice.kpi.answers": {"fr": "Réponses", "en": "Answers"},
    "voice.kpi.answers_help": {
        "fr": "Réponses NPS de la période et des filtres choisis ; un client qui a répondu deux "
        "fois compte deux fois.",
        "en": "NPS answers in the chosen period and filters; a customer who answered twice "
        "counts twice.",
    },
    "voice.kpi.unmatched": {
        "fr": "Réponses sans client connu",
        "en": "Answers matching no customer",
    },
    "voice.kpi.unmatched_help": {
        "fr": "Réponses sans e-mail, ou dont l'e-mail n'est celui d'aucun client de la "
        "boutique : {count} sur {answers}. Elles comptent dans le NPS global, dans aucun "
        "segment.",
        "en": "Answers without an email, or whose email is no customer's of the shop: {count} "
        "of {answers}. They count in the overall NPS, in no segment.",
    },
    "voice.kpi.clv_promoters": {
        "fr": "CLV prédite des promoteurs",
        "en": "Predicted CLV of promoters",
    },
    "voice.kpi.clv_promoters_help": {
        "fr": "Somme des CLV prédites des {customers} clients dont la dernière réponse est 9 "
        "ou 10 : {value}, soit {share} des {total} de CLV prédite des {all_customers} clients "
        "valorisés.",
        "en": "Sum of the predicted CLV of the {customers} customers whose latest answer is 9 "
        "or 10: {value}, that is {share} of the {total} of predicted CLV of the "
        "{all_customers} valued customers.",
    },
    "voice.kpi.clv_detractors": {
        "fr": "CLV prédite des détracteurs",
        "en": "Predicted CLV of detractors",
    },
    "voice.kpi.clv_detractors_help": {
        "fr": "Somme des CLV prédites des {customers} clients dont la dernière réponse est "
        "entre 0 et 6 : {value}, soit {share} des {total} de CLV prédite des {all_customers} "
        "clients valorisés. C'est la valeur à risque si leur insatisfaction les fait partir.",
        "en": "Sum of the predicted CLV of the {customers} customers whose latest answer is 0 "
        "to 6: {value}, that is {share} of the {total} of predicted CLV of the "
        "{all_customers} valued customers. This is the value at risk should their "
        "dissatisfaction make them leave.",
    },
    "voice.kpi.clv_share": {
        "fr": "{share} de la CLV prédite · {customers} clients",
        "en": "{share} of the predicted CLV · {customers} customers",
    },
    # -- NPS by segment
    "voice.segments.title": {"fr": "NPS par segment", "en": "NPS by segment"},
    "voice.segments.by": {"fr": "Découper par", "en": "Split by"},
    "voice.segments.by_help": {
        "fr": "Segment de valeur : celui de la CLV prédite (réglages de la page CLV). Canal : "
        "canal d'acquisition du client. Cohorte : mois de sa première commande payée. Mois : "
        "mois de la réponse.",
        "en": "Value tier: from the predicted CLV (settings of the CLV page). Channel: the "
        "customer's acquisition channel. Cohort: month of their first paid order. Month: "
        "month of the answer.",
    },
    "voice.by.tier": {"fr": "Segment de valeur", "en": "Value tier"},
    "voice.by.channel": {"fr": "Canal d'acquisition", "en": "Acquisition channel"},
    "voice.by.cohort": {"fr": "Cohorte", "en": "Cohort"},
    "voice.by.month": {"fr": "Mois de réponse", "en": "Month of answer"},
    "voice.by_noun.tier": {"fr": "segment de valeur", "en": "value tier"},
    "voice.by_noun.channel": {"fr": "canal d'acquisition", "en": "acquisition channel"},
    "voice.by_noun.cohort": {
        "fr": "cohorte (mois de première commande)",
        "en": "cohort (month of first order)",
    },
    "voice.by_noun.month": {"fr": "mois de réponse", "en": "month of answer"},
    "voice.no_segment.tier": {"fr": "Sans segment", "en": "No tier"},
    "voice.no_segment.channel": {"fr": "Canal inconnu", "en": "Unknown channel"},
    "voice.no_segment.cohort": {"fr": "Sans commande payée", "en": "No paid order"},
    "voice.no_segment.month": {"fr": "Sans date", "en": "No date"},
    "voice.segments.too_few": {
        "fr": "**Trop peu de réponses pour conclure** (moins de {minimum}) : {segments}. "
        "Leur NPS est hachuré sur le graphique et son intervalle est trop large pour être lu.",
        "en": "**Too few answers to read** (fewer than {minimum}): {segments}. Their NPS is "
        "hatched on the chart and its interval is too wide to read.",
    },
    "voice.segment_count": {"fr": "{name} ({answers})", "en": "{name} ({answers})"},
    "voice.unmatched.some": {
        "fr": "**{count} réponses ne sont rattachées à aucun client** ({share} des réponses, "
        "NPS {nps}) : pas d'e-mail dans l'export de l'enquête, ou un e-mail inconnu de la "
        "boutique. Elles comptent dans le NPS global mais dans aucun segment.",
        "en": "**{count} answers match no customer** ({share} of the answers, NPS {nps}): no "
        "email in the survey export, or an email the shop does not know. They count in the "
        "overall NPS but in no segment.",
    },
    "voice.unmatched.none": {
        "fr": "Réponses rattachées à aucun client : 0. Chaque réponse correspond à un client "
        "connu.",
        "en": "Answers matching no customer: 0. Every answer matches a known customer.",
    },
    "voice.unmatched.filtered": {
        "fr": "Réponses rattachées à aucun client : 0 avec un filtre de canal ou de segment, "
        "qui ne garde que les réponses des clients concernés.",
        "en": "Answers matching no customer: 0 with a channel or tier filter, which keeps the "
        "answers of those customers only.",
    },
    "voice.chart.segments.title": {
        "fr": "NPS par {by} (de −100 à 100), avec son intervalle à 95 %",
        "en": "NPS by {by} (−100 to 100), with its 95 % interval",
    },
    "voice.chart.answers": {"fr": "Réponses", "en": "Answers"},
    "voice.chart.interval": {"fr": "Intervalle à 95 %", "en": "95 % interval"},
    "voice.chart.too_few": {"fr": "trop peu de réponses", "en": "too few answers"},
    "voice.chart.count": {"fr": "n = {answers}", "en": "n = {answers}"},
    "voice.chart.hatched": {
        "fr": "Hachuré : trop peu de réponses pour conclure (moins de {minimum})",
        "en": "Hatched: too few answers to read (fewer than {minimum})",
    },
    "voice.col.segment": {"fr": "Segment", "en": "Segment"},
    "voice.col.answers": {"fr": "Réponses", "en": "Answers"},
    "voice.col.promoters": {"fr": "Promoteurs", "en": "Promoters"},
    "voice.col.passives": {"fr": "Passifs", "en": "Passives"},
    "voice.col.detractors": {"fr": "Détracteurs", "en": "Detractors"},
    "voice.col.nps": {"fr": "NPS", "en": "NPS"},
    "voice.col.low": {"fr": "Borne basse (95 %)", "en": "Low bound (95 %)"},
    "voice.col.high": {"fr": "Borne haute (95 %)", "en": "High bound (95 %)"},
    "voice.col.too_few": {"fr": "Trop peu de réponses", "en": "Too few answers"},
    # -- trend
    "voice.trend.title": {"fr": "NPS par mois", "en": "NPS by month"},
    "voice.chart.trend.title": {
        "fr": "NPS par mois de réponse (de −100 à 100)",
        "en": "NPS by month of answer (−100 to 100)",
    },
    "voice.chart.trend.x": {"fr": "Mois de réponse", "en": "Month of answer"},
    "voice.chart.trend.too_few": {
        "fr": "Points creux : moins de {minimum} réponses dans le mois",
        "en": "Hollow points: fewer than {minimum} answers in the month",
    },
    "voice.trend.unmatched": {
        "fr": "Réponses des clients connus seulement : les {count} réponses rattachées à aucun "
        "client n'entrent pas dans cette courbe.",
        "en": "Answers of known customers only: the {count} answers that match no customer "
        "are not in this curve.",
    },
    # -- value held
    "voice.value.title": {
        "fr": "Valeur détenue par groupe NPS",
        "en": "Value held by NPS group",
    },
    "voice.value.caption": {
        "fr": "Chaque client valorisé est classé selon sa dernière réponse NPS, quelle qu'en "
        "soit la date ; les filtres de canal et de segment s'appliquent, pas celui de période.",
        "en": "Each valued customer is placed by their latest NPS answer, whatever its date; "
        "the channel and tier filters apply, the period filter does not.",
    },
    "voice.chart.groups.title": {
        "fr": "CLV prédite détenue par groupe NPS ({currency})",
        "en": "Predicted CLV held by NPS group ({currency})",
    },
    "voice.chart.groups.x": {"fr": "CLV prédite ({currency})", "en": "Predicted CLV ({currency})"},
    "voice.chart.groups.customers": {"fr": "Clients", "en": "Customers"},
    "voice.chart.groups.share": {"fr": "Part de la CLV prédite", "en": "Share of predicted CLV"},
    "voice.group.promoter": {"fr": "Promoteurs (9-10)", "en": "Promoters (9-10)"},
    "voice.group.passive": {"fr": "Passifs (7-8)", "en": "Passives (7-8)"},
    "voice.group.detractor": {"fr": "Détracteurs (0-6)", "en": "Detractors (0-6)"},
    "voice.group.no answer": {"fr": "Jamais répondu", "en": "Never answered"},
    # -- support tickets
    "voice.tickets.title": {"fr": "Tickets support par segment", "en": "Support tickets by tier"},
    "voice.tickets.empty": {
        "fr": "Aucun ticket support chargé : importez l'export de votre outil de support "
        "(Zendesk, Gorgias, Freshdesk…) pour voir les tickets par client et le délai de "
        "résolution par segment de valeur.",
        "en": "No support tickets loaded: import the export of your help desk (Zendesk, "
        "Gorgias, Freshdesk…) to see tickets per customer and resolution time by value tier.",
    },
    "voice.tickets.caption": {
        "fr": "Tickets ouverts dans la période, des clients de chaque segment (parmi les canaux "
        "et segments choisis). Tickets par client = tickets ÷ clients du segment (avec ou "
        "sans ticket). Délai : médiane de (résolu le − ouvert le) sur les tickets résolus.",
        "en": "Tickets opened in the period, by the customers of each tier (among the chosen "
        "channels and tiers). Tickets per customer = tickets ÷ customers of the tier (with or "
        "without a ticket). Resolution time: median of (solved at − opened at) over solved "
        "tickets.",
    },
    "voice.chart.tickets.title": {
        "fr": "Tickets support par segment de valeur",
        "en": "Support tickets by value tier",
    },
    "voice.chart.tickets.per_customer": {"fr": "Tickets par client", "en": "Tickets per customer"},
    "voice.chart.tickets.resolution": {
        "fr": "Délai médian de résolution (heures)",
        "en": "Median resolution time (hours)",
    },
    "voice.tickets.col.tier": {"fr": "Segment", "en": "Tier"},
    "voice.tickets.col.customers": {"fr": "Clients", "en": "Customers"},
    "voice.tickets.col.tickets": {"fr": "Tickets", "en": "Tickets"},
    "voice.tickets.col.per_customer": {"fr": "Tickets par client", "en": "Tickets per customer"},
    "voice.tickets.col.resolution": {
        "fr": "Délai médian de résolution (h)",
        "en": "Median resolution time (h)",
    },
    "voice.tickets.col.open": {"fr": "Tickets ouverts", "en": "Open tickets"},
}
