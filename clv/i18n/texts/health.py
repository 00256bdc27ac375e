"""Words of the health page, in French and English (see :mod:`clv.i18n.texts`)."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    # -- header and empty states
    "health.title": {
        "fr": "Santé client et risque d'attrition",
        "en": "Customer health and churn risk",
    },
    "health.purpose": {
        "fr": "Un score de santé de 0 à 100 par client, aux poids visibles et modifiables ; les "
        "clients à forte valeur et à fort risque de départ d'abord ; et la fiabilité du modèle "
        "de risque face à deux références simples.",
        "en": "A 0-100 health score per customer with weights you can see and edit; the "
        "customers of high value and high risk of leaving first; and how well the risk model "
        "predicts against two simple baselines.",
    },
    "health.empty": {
        "fr": "Aucune commande pour l'instant. Le score de santé et le risque d'attrition se "
        "calculent à partir de l'historique de commandes de chaque client (les tickets de "
        "support et les réponses NPS, s'il y en a, s'y ajoutent).",
        "en": "No orders yet. The health score and the churn risk are computed from each "
        "customer's order history (support tickets and NPS answers, when there are some, are "
        "added to it).",
    },
    "health.no_customers": {
        "fr": "Aucun client ne correspond aux filtres choisis. Retirez les filtres de canal et "
        "de segment.",
        "en": "No customer matches the chosen filters. Clear the channel and tier filters.",
    },
    "health.period_ignored": {
        "fr": "Le score de santé et le risque sont calculés au {day}, dernier jour de commande : "
        "le filtre de période ne s'applique pas ici, seuls les filtres de canal et de segment.",
        "en": "The health score and the risk are computed as of {day}, the latest order day: "
        "the period filter does not apply here, only the channel and tier filters.",
    },
    # -- tiles
    "health.kpi.healthy": {"fr": "Clients en bonne santé", "en": "Healthy customers"},
    "health.kpi.watch": {"fr": "Clients à surveiller", "en": "Customers to watch"},
    "health.kpi.at risk": {"fr": "Clients en danger", "en": "Customers at risk"},
    "health.kpi.healthy_help": {
        "fr": "Clients dont le score de santé est de {healthy} ou plus : {count} sur {customers} "
        "({share}).",
        "en": "Customers whose health score is {healthy} or more: {count} of {customers} "
        "({share}).",
    },
    "health.kpi.watch_help": {
        "fr": "Clients dont le score de santé est d'au moins {watch} et de moins de {healthy} : "
        "{count} sur {customers} ({share}).",
        "en": "Customers whose health score is at least {watch} and below {healthy}: {count} "
        "of {customers} ({share}).",
    },
    "health.kpi.at risk_help": {
        "fr": "Clients dont le score de santé est inférieur à {watch} : {count} sur {customers} "
        "({share}).",
        "en": "Customers whose health score is below {watch}: {count} of {customers} ({share}).",
    },
    "health.kpi.share": {"fr": "{share} des clients", "en": "{share} of the customers"},
    "health.kpi.clv_at_risk": {
        "fr": "CLV à risque ≥ {threshold}",
        "en": "CLV at risk ≥ {threshold}",
    },
    "health.kpi.clv_at_risk_help": {
        "fr": "CLV prédite à fort risque : somme des CLV prédites des {count} clients dont le risque de ne passer aucune "
        "commande dans les {days} prochains jours est d'au moins {threshold} (le seuil du "
        "curseur de la liste ci-dessous) : {value}, soit {share} de la CLV prédite de "
        "l'ensemble des {customers} clients affichés ({total}).",
        "en": "Predicted CLV at high risk: sum of the predicted CLV of the {count} customers whose risk of placing no "
        "order in the next {days} days is at least {threshold} (the threshold of the slider "
        "of the list below): {value}, that is {share} of the predicted CLV of all {customers} "
        "customers shown ({total}).",
    },
    "health.kpi.clv_at_risk_caption": {
        "fr": "{count} clients · {share} de la CLV prédite",
        "en": "{count} customers · {share} of the predicted CLV",
    },
    "health.kpi.clv_at_risk_missing": {
        "fr": "Indisponible : il faut à la fois une CLV prédite (des clients qui rachètent) et "
        "un modèle de risque (un historique assez long).",
        "en": "Not available: it needs both a predicted CLV (customers who buy again) and a "
        "risk model (a long enough history).",
    },
    "health.kpi.auc_chosen": {
        "fr": "AUC ROC · {model} (retenu)",
        "en": "ROC AUC · {model} (chosen)",
    },
    "health.kpi.auc_delta": {
        "fr": "{delta} face à la meilleure référence",
        "en": "{delta} against the best baseline",
    },
    "health.kpi.auc_recency": {
        "fr": "AUC ROC · référence récence seule",
        "en": "ROC AUC · baseline recency alone",
    },
    "health.kpi.auc_alive": {
        "fr": "AUC ROC · référence 1 − P(actif)",
        "en": "ROC AUC · baseline 1 − P(alive)",
    },
    "health.kpi.auc_help": {
        "fr": "{model} : probabilité qu'un client parti (aucune commande dans les {days} jours "
        "suivants) reçoive un risque plus élevé qu'un client revenu, tirés au hasard (0,5 = "
        "pile ou face, 1 = parfait). Mesurée sur les {customers} clients au {cutoff}, dont "
        "{churned} n'ont passé aucune commande ensuite. Le modèle est celui de toute la "
        "boutique : les filtres ne le changent pas.",
        "en": "{model}: the chance that a customer who left (no order in the next {days} days) "
        "gets a higher risk than one who came back, both drawn at random (0.5 = a coin toss, "
        "1 = perfect). Measured on the {customers} customers as of {cutoff}, {churned} of "
        "whom placed no order afterwards. The model is the whole shop's: the filters do not "
        "change it.",
    },
    "health.kpi.auc_alive_missing": {
        "fr": "Le modèle d'achat de la référence P(actif) n'a pas pu être ajusté (voir les "
        "notes de la comparaison des modèles).",
        "en": "The purchase model of the P(alive) baseline could not be fitted (see the notes "
        "of the model comparison).",
    },
    "health.kpi.auc_caption": {
        "fr": "Mêmes clients, même période de test pour les trois : le modèle retenu doit "
        "faire mieux que la récence seule et que 1 − P(actif).",
        "en": "Same customers, same test period for all three: the chosen model has to beat "
        "recency alone and 1 − P(alive).",
    },
    "health.risk.unavailable": {
        "fr": "Le modèle de risque ne peut pas encore être entraîné. Il lui faut au moins "
        "{twice} jours de commandes (2 × {days}) : {days} jours pour apprendre qui est revenu, "
        "puis {days} autres pour le vérifier, et des clients qui reviennent comme d'autres "
        "qui ne reviennent pas. Le score de santé, lui, est affiché.",
        "en": "The risk model cannot be trained yet. It needs at least {twice} days of orders "
        "(2 × {days}): {days} days to learn who came back, then {days} more to check it, and "
        "customers who come back as well as customers who do not. The health score is shown.",
    },
    "health.risk.reason": {"fr": "Détail : {reason}", "en": "Details: {reason}"},
    # -- bands, signals and what they mean
    "health.band.healthy": {"fr": "En bonne santé", "en": "Healthy"},
    "health.band.watch": {"fr": "À surveiller", "en": "To watch"},
    "health.band.at risk": {"fr": "En danger", "en": "At risk"},
    "health.signal.recency": {"fr": "Récence", "en": "Recency"},
    "health.signal.activity": {"fr": "Activité (P(actif))", "en": "Activity (P(alive))"},
    "health.signal.frequency": {"fr": "Achats répétés", "en": "Repeat purchases"},
    "health.signal.monetary_trend": {"fr": "Tendance des dépenses", "en": "Spending trend"},
    "health.signal.tenure": {"fr": "Ancienneté", "en": "Tenure"},
    "health.signal.tickets": {"fr": "Tickets de support", "en": "Support tickets"},
    "health.signal.refunds": {"fr": "Remboursements", "en": "Refunds"},
    "health.signal.nps": {"fr": "NPS", "en": "NPS"},
    "health.rule.recency": {
        "fr": "0,5 ^ (jours depuis la dernière commande ÷ intervalle habituel)",
        "en": "0.5 ^ (days since the last order ÷ usual gap)",
    },
    "health.rule.activity": {
        "fr": "P(actif) du modèle d'achat (MBG/NBD ou Pareto/NBD)",
        "en": "P(alive) of the purchase model (MBG/NBD or Pareto/NBD)",
    },
    "health.rule.frequency": {
        "fr": "1 − 0,5 ^ jours d'achat répétés",
        "en": "1 − 0.5 ^ repeat purchase days",
    },
    "health.rule.monetary_trend": {
        "fr": "(1 + tendance du chiffre d'affaires) ÷ 2",
        "en": "(1 + revenue trend) ÷ 2",
    },
    "health.rule.tenure": {
        "fr": "1 − 0,5 ^ années depuis la première commande",
        "en": "1 − 0.5 ^ years since the first order",
    },
    "health.rule.tickets": {
        "fr": "0,5 ^ (tickets ouverts + tickets lents)",
        "en": "0.5 ^ (open + slow tickets)",
    },
    "health.rule.refunds": {"fr": "0,5 ^ commandes remboursées", "en": "0.5 ^ refunded orders"},
    "health.rule.nps": {"fr": "dernière note NPS ÷ 10", "en": "latest NPS score ÷ 10"},
    "health.meaning.recency": {
        "fr": "Le temps écoulé depuis la dernière commande, rapporté à l'intervalle habituel "
        "du client entre deux achats (celui de la boutique pour un client qui n'a acheté "
        "qu'une fois) : plein juste après une commande, moitié après un intervalle habituel.",
        "en": "Time since the last order, against the customer's usual gap between purchases "
        "(the shop's for a customer who bought once): full just after an order, half after "
        "one usual gap.",
    },
    "health.meaning.activity": {
        "fr": "La probabilité que le client soit encore actif, selon le modèle d'achat de la "
        "page CLV.",
        "en": "The probability that the customer is still active, from the purchase model of "
        "the CLV page.",
    },
    "health.meaning.frequency": {
        "fr": "Les achats répétés : 0 pour un client qui n'a acheté qu'une fois (il n'est pas "
        "en bonne santé par défaut), la moitié après un rachat, les trois quarts après deux.",
        "en": "Repeat purchases: 0 for a customer who bought once (not healthy by default), "
        "half after one repeat purchase, three quarters after two.",
    },
    "health.meaning.monetary_trend": {
        "fr": "Le chiffre d'affaires des 180 derniers jours face aux 180 précédents : plein "
        "s'il progresse, nul s'il s'effondre (inconnu pour un client de moins d'un an).",
        "en": "Net revenue of the last 180 days against the 180 before: full when it grows, "
        "none when it collapses (unknown for a customer of less than a year).",
    },
    "health.meaning.tenure": {
        "fr": "L'ancienneté depuis la première commande : la moitié après un an, les trois "
        "quarts après deux.",
        "en": "Time since the first order: half after one year, three quarters after two.",
    },
    "health.meaning.tickets": {
        "fr": "Les tickets de support encore ouverts ou résolus en plus de 7 jours : chacun "
        "divise ce signal par deux.",
        "en": "Support tickets still open or solved after more than 7 days: each one halves "
        "this signal.",
    },
    "health.meaning.refunds": {
        "fr": "Les commandes remboursées : chacune divise ce signal par deux.",
        "en": "Refunded orders: each one halves this signal.",
    },
    "health.meaning.nps": {
        "fr": "La dernière note NPS du client (inconnue s'il n'a jamais répondu).",
        "en": "The customer's latest NPS score (unknown when they never answered).",
    },
    # -- distribution
    "health.distribution.title": {"fr": "Répartition des scores", "en": "Score distribution"},
    "health.chart.distribution.title": {
        "fr": "Répartition des scores de santé (clients par tranche de {width} points)",
        "en": "Health score distribution (customers per {width} points)",
    },
    "health.chart.distribution.x": {"fr": "Score de santé (0-100)", "en": "Health score (0-100)"},
    "health.chart.distribution.y": {"fr": "Clients", "en": "Customers"},
    "health.chart.distribution.threshold": {
        "fr": "{band} dès {value}",
        "en": "{band} from {value}",
    },
    "health.distribution.caption": {
        "fr": "Score médian : {median}. Les {one_time} clients qui n'ont acheté qu'une fois ont "
        "un score médian de {one_time_median} : sans rachat, le signal « achats répétés » ne "
        "leur donne aucun point.",
        "en": "Median score: {median}. The {one_time} customers who bought only once have a "
        "median score of {one_time_median}: without a repeat purchase, the “repeat purchases” "
        "signal gives them no points.",
    },
    "health.activity_note": {
        "fr": "P(actif) inconnue, comptée pour la moitié de son poids. Détail : {note}",
        "en": "P(alive) unknown, counted as half its weight. Details: {note}",
    },
    # -- weights
    "health.weights.title": {"fr": "Poids du score", "en": "Weights of the score"},
    "health.weights.intro": {
        "fr": "Le score est une somme pondérée : chaque signal vaut de 0 à 1, multiplié par son "
        "poids, et le total est ramené sur 100. Un signal inconnu compte pour la moitié. Seuls "
        "les rapports entre poids comptent ; les poids enregistrés valent pour toute la "
        "boutique.",
        "en": "The score is a weighted sum: each signal is worth 0 to 1, times its weight, and "
        "the total is brought to 100. An unknown signal counts as half. Only the ratios "
        "between weights matter; the saved weights apply to the whole shop.",
    },
    "health.weights.meaning": {
        "fr": "{meaning} **Aujourd'hui : {points} points au plus.**",
        "en": "{meaning} **Now: at most {points} points.**",
    },
    "health.weights.save": {"fr": "Enregistrer les poids", "en": "Save the weights"},
    "health.weights.reset": {"fr": "Revenir aux poids par défaut", "en": "Reset to defaults"},
    "health.weights.saved": {
        "fr": "Poids enregistrés : les scores ci-dessus en tiennent compte.",
        "en": "Weights saved: the scores above use them.",
    },
    "health.weights.reset_done": {
        "fr": "Poids par défaut rétablis et enregistrés.",
        "en": "Default weights restored and saved.",
    },
    "health.weights.invalid": {
        "fr": "Poids non enregistrés : {error}",
        "en": "Weights not saved: {error}",
    },
    "health.weights.damaged": {
        "fr": "Les poids enregistrés sont illisibles ({error}) : les poids par défaut sont "
        "utilisés. Enregistrez-en de nouveaux ci-dessous.",
        "en": "The saved weights cannot be read ({error}): the default weights are used. Save "
        "new ones below.",
    },
    # -- at-risk list
    "health.at_risk.title": {"fr": "Clients à risque", "en": "At-risk customers"},
    "health.at_risk.no_risk": {
        "fr": "La liste a besoin du modèle de risque, qui n'est pas disponible (voir plus haut).",
        "en": "The list needs the risk model, which is not available (see above).",
    },
    "health.at_risk.no_valuation": {
        "fr": "La liste a besoin d'une CLV prédite, qui n'est pas disponible (il faut des "
        "commandes et des clients qui rachètent).",
        "en": "The list needs a predicted CLV, which is not available (it needs orders and "
        "customers who buy again).",
    },
    "health.at_risk.min_risk": {"fr": "Risque minimal", "en": "Minimum risk"},
    "health.at_risk.min_risk_help": {
        "fr": "Ne garder que les clients dont le risque de ne passer aucune commande dans les "
        "{days} prochains jours atteint ce seuil. Le même seuil définit le « fort risque » de "
        "la tuile du haut.",
        "en": "Keep only the customers whose risk of placing no order in the next {days} days "
        "reaches this threshold. The same threshold defines “high risk” on the tile above.",
    },
    "health.at_risk.caption": {
        "fr": "{count} clients, classés par valeur en jeu (CLV prédite × risque) : forte "
        "valeur et fort risque d'abord. Les filtres de canal et de segment s'appliquent.",
        "en": "{count} customers, ranked by value at stake (predicted CLV × risk): high value "
        "and high risk first. The channel and tier filters apply.",
    },
    "health.at_risk.download": {
        "fr": "Télécharger la liste (CSV)",
        "en": "Download the list (CSV)",
    },
    "health.col.customer_id": {"fr": "Identifiant pseudonyme", "en": "Pseudonymous id"},
    "health.col.customer_id_help": {
        "fr": "L'identifiant du client dans ce tableau de bord, dérivé de son e-mail par une "
        "clé secrète : il ne révèle pas l'e-mail.",
        "en": "The customer's id in this dashboard, derived from the email with a secret key: "
        "it does not reveal the email.",
    },
    "health.col.source_customer_id": {"fr": "Identifiant boutique", "en": "Shop's customer id"},
    "health.col.source_customer_id_help": {
        "fr": "L'identifiant du client dans l'export clients de la boutique, quand elle en "
        "donne un : pour le retrouver dans vos outils.",
        "en": "The customer's id in the shop's customers export, when it gives one: to find "
        "the customer in your own tools.",
    },
    "health.col.tier": {"fr": "Segment", "en": "Tier"},
    "health.col.channel": {"fr": "Canal d'acquisition", "en": "Acquisition channel"},
    "health.col.risk": {"fr": "Risque", "en": "Risk"},
    "health.col.risk_help": {
        "fr": "Probabilité de ne passer aucune commande dans les {days} prochains jours, selon "
        "le modèle retenu.",
        "en": "Probability of placing no order in the next {days} days, from the chosen model.",
    },
    "health.col.health": {"fr": "Santé (0-100)", "en": "Health (0-100)"},
    "health.col.predicted_clv": {
        "fr": "CLV prédite ({currency})",
        "en": "Predicted CLV ({currency})",
    },
    "health.col.value_at_risk": {
        "fr": "Valeur en jeu ({currency})",
        "en": "Value at stake ({currency})",
    },
    "health.col.days_since_last": {
        "fr": "Jours depuis la dernière commande",
        "en": "Days since the last order",
    },
    # -- why this score
    "health.why.title": {"fr": "Pourquoi ce score ?", "en": "Why this score?"},
    "health.why.from_list": {
        "fr": "Choisissez un client parmi les {count} premiers de la liste.",
        "en": "Pick a customer among the first {count} of the list.",
    },
    "health.why.lowest": {
        "fr": "Choisissez un client parmi les {count} scores les plus bas.",
        "en": "Pick a customer among the {count} lowest scores.",
    },
    "health.why.customer": {"fr": "Client", "en": "Customer"},
    "health.why.option": {"fr": "{id} · santé {score}", "en": "{id} · health {score}"},
    "health.why.option_source": {
        "fr": "{id} · boutique {source} · santé {score}",
        "en": "{id} · shop {source} · health {score}",
    },
    "health.why.summary": {
        "fr": "Score de santé : **{score}** sur 100 ({band}). Chaque signal apporte des points "
        "jusqu'à son maximum ; les points manqués disent ce qui pèse le plus.",
        "en": "Health score: **{score}** out of 100 ({band}). Each signal gives points up to "
        "its maximum; the points missed say what weighs most.",
    },
    "health.chart.why.title": {
        "fr": "Pourquoi {score} : points par signal (sur 100)",
        "en": "Why {score}: points per signal (out of 100)",
    },
    "health.chart.why.x": {"fr": "Points", "en": "Points"},
    "health.chart.why.points": {"fr": "Points obtenus", "en": "Points earned"},
    "health.chart.why.lost": {"fr": "Points manqués", "en": "Points missed"},
    "health.chart.why.unknown": {
        "fr": "inconnu, compté pour moitié",
        "en": "unknown, counted as half",
    },
    "health.why.col.signal": {"fr": "Signal", "en": "Signal"},
    "health.why.col.value": {"fr": "Valeur", "en": "Value"},
    "health.why.col.rule": {"fr": "Calcul (de 0 à 1)", "en": "Rule (0 to 1)"},
    "health.why.col.sub_score": {"fr": "Note du signal (0-1)", "en": "Signal score (0-1)"},
    "health.why.col.max_points": {"fr": "Points au plus", "en": "Maximum points"},
    "health.why.col.points": {"fr": "Points", "en": "Points"},
    "health.why.col.points_lost": {"fr": "Points manqués", "en": "Points missed"},
    "health.why.caption": {
        "fr": "Points = 100 × poids × note du signal ÷ somme des poids ; leur somme est le "
        "score. Classé par points manqués.",
        "en": "Points = 100 × weight × signal score ÷ sum of the weights; they add up to the "
        "score. Sorted by points missed.",
    },
    "health.value.unknown": {"fr": "inconnu (compté 0,5)", "en": "unknown (counted as 0.5)"},
    "health.value.recency": {
        "fr": "{days} j ÷ {gap} j = {ratio}",
        "en": "{days} days ÷ {gap} days = {ratio}",
    },
    "health.value.days": {"fr": "{days} jours", "en": "{days} days"},
    "health.value.nps": {"fr": "{score}/10", "en": "{score}/10"},
    # -- model comparison
    "health.models.title": {
        "fr": "Le modèle de risque face aux références",
        "en": "The risk model against the baselines",
    },
    "health.models.unavailable": {
        "fr": "La comparaison des modèles a besoin d'un historique plus long (voir plus haut).",
        "en": "The model comparison needs a longer history (see above).",
    },
    "health.models.split": {
        "fr": "Entraîné sur les clients au {train} (chacun jugé sur ce qu'il a fait dans les "
        "{days} jours suivants) ; testé sur les {customers} clients au {test}, face à ce qui "
        "s'est passé ensuite, jusqu'au {test_end} : {churn} d'entre eux n'ont passé aucune "
        "commande dans ces {days} jours.",
        "en": "Trained on the customers as of {train} (each judged on what they did in the "
        "following {days} days); tested on the {customers} customers as of {test}, against "
        "what happened after, up to {test_end}: {churn} of them placed no order in those "
        "{days} days.",
    },
    "health.models.validation": {
        "fr": "Le modèle a été choisi sur les clients au {validation}, avant la période de "
        "test ; le test ne fait que mesurer.",
        "en": "The model was chosen on the customers as of {validation}, before the test "
        "period; the test only measures.",
    },
    "health.model.recency": {"fr": "Récence seule", "en": "Recency alone"},
    "health.model.logistic": {"fr": "Régression logistique", "en": "Logistic regression"},
    "health.model.boosting": {"fr": "Arbres boostés", "en": "Gradient-boosted trees"},
    "health.model.mbgnbd": {"fr": "1 − P(actif), MBG/NBD", "en": "1 − P(alive), MBG/NBD"},
    "health.model.pareto": {"fr": "1 − P(actif), Pareto/NBD", "en": "1 − P(alive), Pareto/NBD"},
    "health.role.candidate": {"fr": "candidat", "en": "candidate"},
    "health.role.baseline": {"fr": "référence", "en": "baseline"},
    "health.models.col.model": {"fr": "Modèle", "en": "Model"},
    "health.models.col.role": {"fr": "Rôle", "en": "Role"},
    "health.models.col.roc_auc": {"fr": "AUC ROC", "en": "ROC AUC"},
    "health.models.col.lift": {"fr": "Lift du premier décile", "en": "Top-decile lift"},
    "health.models.col.mean_predicted": {"fr": "Risque moyen prédit", "en": "Mean predicted risk"},
    "health.models.col.churn_rate": {"fr": "Départs observés", "en": "Observed churn"},
    "health.models.col.chosen": {"fr": "Retenu", "en": "Chosen"},
    "health.models.auc_help": {
        "fr": "Probabilité qu'un client parti reçoive un risque plus élevé qu'un client revenu "
        "(0,5 = hasard, 1 = parfait).",
        "en": "Chance that a customer who left gets a higher risk than one who came back "
        "(0.5 = chance, 1 = perfect).",
    },
    "health.models.lift_help": {
        "fr": "Part de départs parmi les 10 % de clients au risque le plus élevé, divisée par "
        "la part de départs de tous les clients (1 = pas mieux que le hasard).",
        "en": "Churn rate among the 10% of customers with the highest risk, divided by the "
        "churn rate of all customers (1 = no better than chance).",
    },
    "health.models.chosen": {
        "fr": "**Modèle retenu : {model}.** {reason}",
        "en": "**Chosen model: {model}.** {reason}",
    },
    "health.reason.short": {
        "fr": "L'historique est trop court pour comparer les candidats avant la période de "
        "test : la régression logistique, le modèle le plus simple qui utilise tous les "
        "signaux, est retenue.",
        "en": "The history is too short to compare the candidates before the test period: "
        "logistic regression, the simplest model using every signal, is kept.",
    },
    "health.reason.boosting": {
        "fr": "Les arbres boostés battent la régression logistique de {gain} d'AUC sur la "
        "période de choix (plus que l'écart exigé de {margin}).",
        "en": "Gradient-boosted trees beat logistic regression by {gain} AUC on the choice "
        "period (more than the required {margin}).",
    },
    "health.reason.logistic": {
        "fr": "La régression logistique est à moins de {margin} d'AUC des arbres boostés (ou "
        "mieux) et bat la récence seule de {gain} sur la période de choix : le modèle le plus "
        "simple qui gagne est gardé.",
        "en": "Logistic regression is within {margin} AUC of the gradient-boosted trees (or "
        "better) and beats recency alone by {gain} on the choice period: the simplest model "
        "that wins is kept.",
    },
    "health.reason.recency": {
        "fr": "La récence seule est à moins de {margin} d'AUC de la régression logistique sur "
        "la période de choix : les autres signaux n'apportent rien de mesurable ici.",
        "en": "Recency alone is within {margin} AUC of logistic regression on the choice "
        "period: the other signals add nothing measurable here.",
    },
    "health.chart.calibration.title": {
        "fr": "Calibration : risque prédit et départs observés, par décile (%)",
        "en": "Calibration: predicted risk against observed churn, per decile (%)",
    },
    "health.chart.calibration.x": {
        "fr": "Risque moyen prédit (%)",
        "en": "Mean predicted risk (%)",
    },
    "health.chart.calibration.y": {
        "fr": "Clients sans commande en {days} jours (%)",
        "en": "Customers with no order in {days} days (%)",
    },
    "health.chart.calibration.diagonal": {
        "fr": "Calibration parfaite",
        "en": "Perfect calibration",
    },
    "health.chart.calibration.chosen": {"fr": "retenu", "en": "chosen"},
    "health.chart.calibration.decile": {"fr": "Décile", "en": "Decile"},
    "health.models.calibration_caption": {
        "fr": "Un point par décile de risque prédit : sur la diagonale, le risque annoncé est "
        "le risque observé. 1 − P(actif) n'est pas une probabilité de « aucune commande dans "
        "la fenêtre » : sa courbe est montrée telle quelle, seul son classement (AUC, lift) "
        "se compare.",
        "en": "One point per decile of predicted risk: on the diagonal, the risk announced is "
        "the risk observed. 1 − P(alive) is not a probability of “no order in the window”: "
        "its curve is shown as it is, only its ranking (AUC, lift) compares.",
    },
}
