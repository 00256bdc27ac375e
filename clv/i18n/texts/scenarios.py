"""Words of the Scenarios page, in French and English (see :mod:`clv.i18n.texts`)."""

TRANSLATIONS: dict[str, dict[str, str]] = {
    "scenarios.title": {
        "fr": "Scénarios : rétention et budget",
        "en": "Scenarios: retention and budget",
    },
    "scenarios.purpose": {
        "fr": "Des simulations pour la direction financière : ce que vaudraient quelques points "
        "de rétention en plus, et ce que rapporterait un budget publicitaire réparti "
        "autrement entre les canaux.",
        "en": "What-if figures for finance: what a few more points of retention would be "
        "worth, and what moving ad spend between channels would bring.",
    },
    "scenarios.empty": {
        "fr": "**Les scénarios ont besoin de vos commandes.** Vos **commandes** (avec des "
        "clients qui ont commandé plus d'une fois) permettent au modèle de prédire ce que "
        "chaque client rapportera, et donc ce qu'une meilleure rétention ajouterait ; vos "
        "**dépenses publicitaires** par canal servent au scénario de budget.",
        "en": "**Scenarios need your orders.** Your **orders** (with customers who ordered "
        "more than once) let the model predict what each customer will bring, and so what "
        "better retention would add; your **ad spend** by channel is needed for the budget "
        "scenario.",
    },
    "scenarios.no_valuation": {
        "fr": "**Le scénario de rétention a besoin d'une CLV prédite**, donc de clients "
        "ayant commandé au moins deux fois (clients fidèles) : c'est sur eux que le modèle "
        "apprend à quel rythme les clients reviennent et quand ils s'arrêtent. Importez un "
        "historique de commandes plus long, ou voyez sur la page CLV ce qui manque.",
        "en": "**The retention scenario needs a predicted CLV**, and so customers who "
        "ordered at least twice (repeat customers): they are what the model learns from, how "
        "often customers come back and when they stop. Import a longer order history, or see "
        "on the CLV page what is missing.",
    },
    "scenarios.go_to_clv": {"fr": "Aller à la page CLV", "en": "Go to the CLV page"},
    "scenarios.unknown_channel": {"fr": "Canal inconnu", "en": "Unknown channel"},
    "scenarios.points": {"fr": "{points} points", "en": "{points} points"},
    # -- retention ------------------------------------------------------------------------
    "scenarios.retention.title": {
        "fr": "Rétention : que vaudraient quelques points de plus ?",
        "en": "Retention: what would a few more points be worth?",
    },
    "scenarios.retention.explain": {
        "fr": "Combien vaudrait la base clients si les clients restaient plus longtemps ? "
        "Choisissez combien de points de rétention ajouter (ou retirer) : le modèle recalcule "
        "la marge prédite de chaque client avec un taux d'abandon plus faible (ou plus fort).",
        "en": "What would the customer base be worth if customers stayed longer? Choose how "
        "many points of retention to add (or remove): the model recomputes each customer's "
        "predicted margin with a lower (or higher) dropout rate.",
    },
    "scenarios.retention.whole_base": {
        "fr": ":material/info: Le modèle valorise toute la base clients : les filtres de la "
        "barre latérale ne s'appliquent pas à cette partie (ils s'appliquent aux courbes de "
        "cohortes et au budget plus bas).",
        "en": ":material/info: The model values the whole customer base: the sidebar filters "
        "do not apply to this section (they apply to the cohort curves and the budget below).",
    },
    "scenarios.retention.points": {
        "fr": "Variation de la rétention (points de pourcentage)",
        "en": "Retention change (percentage points)",
    },
    "scenarios.retention.points_help": {
        "fr": "+5 veut dire que la rétention passe par exemple de 77 % à 82 %. Une valeur "
        "négative montre ce que coûterait une perte de clients plus rapide.",
        "en": "+5 means retention goes, for example, from 77% to 82%. A negative value shows "
        "what losing customers faster would cost.",
    },
    "scenarios.retention.period": {
        "fr": "Rétention mesurée sur (mois)",
        "en": "Retention measured over (months)",
    },
    "scenarios.retention.period_help": {
        "fr": "12 = rétention annuelle, celle de la règle empirique.",
        "en": "12 = yearly retention, the rate of the rule of thumb.",
    },
    "scenarios.retention.computing": {
        "fr": "Calcul du scénario et de sa fourchette…",
        "en": "Computing the scenario and its range…",
    },
    "scenarios.retention.out_of_reach": {
        "fr": "**Cette variation est hors d'atteinte.** La rétention est de {today} "
        "aujourd'hui ; {points} points la porteraient à {target}, hors de 0 à 100 %. "
        "Choisissez une variation entre {low} et {high} points.",
        "en": "**This change is out of reach.** Retention is {today} today; {points} points "
        "would take it to {target}, outside 0 to 100%. Choose a change between {low} and "
        "{high} points.",
    },
    "scenarios.retention.no_range": {
        "fr": "Pas de fourchette à 95 % : seuls {valid} tirages sur {draws} des paramètres du "
        "modèle atteignent la rétention visée ; les paramètres sont trop incertains. Lisez "
        "les chiffres comme une estimation centrale.",
        "en": "No 95% range: only {valid} of {draws} draws of the model's parameters could "
        "reach the target retention; the parameters are too uncertain. Read the figures as a "
        "central estimate.",
    },
    "scenarios.retention.method_title": {
        "fr": "Comment le scénario est calculé",
        "en": "How the scenario is computed",
    },
    "scenarios.retention.method": {
        "fr": "- **Rétention** = part des clients actifs aujourd'hui encore actifs à la fin de "
        "la période, chacun pondéré par la probabilité, selon le modèle, qu'il soit actif "
        "aujourd'hui.\n"
        "- **+x points** = le taux d'abandon de chaque client est multiplié par un même "
        "facteur, choisi pour que cette rétention gagne x points. Chaque client garde sa "
        "probabilité d'être actif aujourd'hui et son rythme d'achat : seuls les abandons à "
        "venir changent.\n"
        "- **Valeur de la base** = somme des CLV prédites (marge par commande × commandes "
        "attendues, actualisées à {discount} par an) des clients valorisés, sur l'horizon de "
        "la page CLV ({horizon} mois), et sur 12, 24 et 36 mois dans le graphique.\n"
        "- **Fourchette à 95 %** = le scénario recalculé sur 100 tirages des paramètres du "
        "modèle d'achat (selon l'incertitude de l'ajustement), sur un échantillon fixe de "
        "clients : elle dit de combien les estimations du modèle peuvent s'écarter de la "
        "réalité, pas tous les risques.\n"
        "- Les réglages de la page CLV (modèle, horizon, taux d'actualisation) s'appliquent "
        "ici aussi.",
        "en": "- **Retention** = share of the customers active today who are still active at "
        "the end of the period, each weighted by the model's probability that they are active "
        "today.\n"
        "- **+x points** = every customer's dropout rate is multiplied by the same factor, "
        "chosen so that this retention gains x points. Each customer keeps their probability "
        "of being active today and their buying pace: only future dropouts change.\n"
        "- **Value of the base** = sum of the predicted CLV (margin per order × expected "
        "orders, discounted at {discount} a year) of the valued customers, over the CLV page's "
        "horizon ({horizon} months), and over 12, 24 and 36 months in the chart.\n"
        "- **95% range** = the scenario recomputed on 100 draws of the purchase model's "
        "parameters (from the fit's uncertainty), on a fixed sample of customers: it says how "
        "far the model's estimates could be from the truth, not every risk.\n"
        "- The CLV page's settings (model, horizon, discount rate) apply here too.",
    },
    "scenarios.kpi.retention": {
        "fr": "Rétention sur {months} mois",
        "en": "Retention over {months} months",
    },
    "scenarios.kpi.retention_help": {
        "fr": "Part des clients actifs aujourd'hui encore actifs {months} mois plus tard, "
        "chacun pondéré par sa probabilité d'être actif aujourd'hui : {before} aujourd'hui, "
        "{after} dans le scénario. Le scénario multiplie le taux d'abandon de chaque client "
        "par un même facteur, ici {factor}, choisi pour que la rétention bouge du nombre de "
        "points demandé.",
        "en": "Share of the customers active today who are still active {months} months "
        "later, each weighted by their probability of being active today: {before} today, "
        "{after} in the scenario. The scenario multiplies every customer's dropout rate by the "
        "same factor, here {factor}, chosen so that retention moves by the points asked.",
    },
    "scenarios.kpi.retention_caption": {
        "fr": "Aujourd'hui → scénario.",
        "en": "Today → scenario.",
    },
    "scenarios.kpi.value": {
        "fr": "Valeur de la base sur {months} mois",
        "en": "Value of the base over {months} months",
    },
    "scenarios.kpi.value_help": {
        "fr": "CLV prédite (marge brute actualisée) des {customers} clients valorisés sur "
        "{months} mois : {before} avec la rétention d'aujourd'hui, {after} dans le scénario. "
        "Variation = après − avant = {change} ({percent}). La fourchette à 95 % sous la tuile "
        "vient de {draws} tirages des paramètres du modèle d'achat.",
        "en": "Predicted CLV (discounted gross margin) of the {customers} valued customers "
        "over {months} months: {before} with retention as today, {after} in the scenario. "
        "Change = after − before = {change} ({percent}). The 95% range under the tile comes "
        "from {draws} draws of the purchase model's parameters.",
    },
    "scenarios.kpi.margin": {
        "fr": "Marge sur les {years} prochaines années",
        "en": "Margin over the next {years} years",
    },
    "scenarios.kpi.margin_help": {
        "fr": "Marge brute prédite, actualisée, sur {months} mois : {before} avec la rétention "
        "d'aujourd'hui, {after} dans le scénario. Variation = {change} = année 1 + année 2 + "
        "année 3 = {years}.",
        "en": "Predicted gross margin, discounted, over {months} months: {before} with "
        "retention as today, {after} in the scenario. Change = {change} = year 1 + year 2 + "
        "year 3 = {years}.",
    },
    "scenarios.kpi.range": {
        "fr": "Fourchette à 95 % : {low} à {high}",
        "en": "95% range: {low} to {high}",
    },
    "scenarios.kpi.no_range": {
        "fr": "Pas de fourchette pour ce chiffre.",
        "en": "No range for this figure.",
    },
    # -- rule of thumb --------------------------------------------------------------------
    "scenarios.rule.title": {
        "fr": "**Règle empirique :** {points} points de rétention → +{low} à +{high} de "
        "profit (Reichheld et Sasser, 1990).",
        "en": "**Rule of thumb:** {points} points of retention → +{low} to +{high} of profit "
        "(Reichheld & Sasser, 1990).",
    },
    "scenarios.rule.shop": {
        "fr": "**Cette boutique :** {points} points de rétention annuelle ({before} → {after}) "
        "augmentent la marge prédite de la base sur {months} mois de **{percent}** ({change}).",
        "en": "**This shop:** {points} points of yearly retention ({before} → {after}) raise "
        "the predicted margin of the base over {months} months by **{percent}** ({change}).",
    },
    "scenarios.rule.shop_range": {
        "fr": "Fourchette à 95 % : {low} à {high}.",
        "en": "95% range: {low} to {high}.",
    },
    "scenarios.rule.position.below": {
        "fr": "**En dessous de la fourchette** de la règle empirique (moins de +{low}).",
        "en": "**Below the band** of the rule of thumb (less than +{low}).",
    },
    "scenarios.rule.position.inside": {
        "fr": "**Dans la fourchette** de la règle empirique (+{low} à +{high}).",
        "en": "**Inside the band** of the rule of thumb (+{low} to +{high}).",
    },
    "scenarios.rule.position.above": {
        "fr": "**Au-dessus de la fourchette** de la règle empirique (plus de +{high}).",
        "en": "**Above the band** of the rule of thumb (more than +{high}).",
    },
    "scenarios.rule.position.none": {
        "fr": "Le chiffre de la boutique ne peut pas être placé face à la fourchette.",
        "en": "The shop's figure cannot be placed against the band.",
    },
    "scenarios.rule.unreachable": {
        "fr": "La rétention annuelle de la boutique est déjà trop haute pour lui ajouter "
        "5 points : la comparaison n'a pas de sens ici.",
        "en": "The shop's yearly retention is already too high to add 5 points to it: the "
        "comparison has no meaning here.",
    },
    "scenarios.rule.why": {
        "fr": "**Pourquoi notre chiffre peut être plus bas.** La règle empirique, tirée "
        "d'entreprises de services, parle de *profit* sur toute la vie du client. Notre "
        "chiffre est la variation de la *marge brute prédite* (la CLV), actualisée, sur "
        "{months} mois :\n"
        "- le profit, c'est la marge moins les coûts fixes : un même gain de marge pèse plus "
        "lourd en pourcentage d'un profit plus petit ;\n"
        "- {months} mois actualisés laissent de côté les années suivantes, où se trouve une "
        "bonne part de la valeur d'une vie client plus longue ;\n"
        "- le modèle garde à chaque client sa probabilité d'être actif aujourd'hui et son "
        "rythme d'achat : une meilleure rétention ne fait que retarder les abandons, sans "
        "paniers plus gros, parrainages ou coûts de service plus bas, que la règle compte.\n\n"
        "Un chiffre sous la fourchette ne veut donc pas dire que la rétention vaut peu : "
        "comparez les montants en euros avec ce que coûterait de garder ces clients.",
        "en": "**Why our figure can be lower.** The rule of thumb, drawn from service "
        "businesses, speaks of *profit* over the customer's whole life. Our figure is the "
        "change of the *predicted gross margin* (the CLV), discounted, over {months} months:\n"
        "- profit is margin minus fixed costs: the same extra margin is a larger share of a "
        "smaller profit;\n"
        "- {months} discounted months leave out the years after, where much of the value of a "
        "longer customer life lies;\n"
        "- the model keeps each customer's probability of being active today and their buying "
        "pace: better retention only delays dropouts, with no bigger baskets, referrals or "
        "lower serving costs, which the rule counts.\n\n"
        "A figure below the band is therefore no sign that retention is worth little: compare "
        "the amounts with what keeping these customers would cost.",
    },
    # -- cohort curves ----------------------------------------------------------------------
    "scenarios.cohort.title": {
        "fr": "Les courbes de cohortes de la boutique, sans modèle",
        "en": "The shop's own cohort curves, without a model",
    },
    "scenarios.cohort.explain": {
        "fr": "La même question sur les données observées : la marge cumulée par client des "
        "cohortes mensuelles de la boutique, regroupées, telle qu'observée et si chaque mois "
        "gardait davantage des clients actifs le mois précédent. C'est une rétention de mois "
        "en mois, pas annuelle : un point par mois se cumule en bien plus qu'un point par an. "
        "Les mois lointains reposent sur peu de cohortes, les plus anciennes.",
        "en": "The same question on the observed data: the cumulative margin per customer of "
        "the shop's monthly cohorts, pooled, as observed and if each month kept more of the "
        "previous month's active customers. This is month-over-month retention, not yearly: "
        "one point a month compounds to far more than one point a year. Months far out rest "
        "on few cohorts, the oldest.",
    },
    "scenarios.cohort.points": {
        "fr": "Variation de la rétention de mois en mois (points)",
        "en": "Month-over-month retention change (points)",
    },
    "scenarios.cohort.points_help": {
        "fr": "Ajouté, chaque mois, à la part des clients actifs le mois précédent qui "
        "commandent encore (au plus 100 %).",
        "en": "Added, each month, to the share of the previous month's active customers who "
        "order again (at most 100%).",
    },
    "scenarios.cohort.none": {
        "fr": "Aucune cohorte observée sur un mois complet dans la période choisie.",
        "en": "No cohort observed over a full month in the chosen period.",
    },
    "scenarios.cohort.last": {
        "fr": "Après {months} mois ({customers} clients observés aussi longtemps) : {before} "
        "par client dans les faits, {after} dans le scénario.",
        "en": "After {months} months ({customers} customers observed that long): {before} per "
        "customer as observed, {after} in the scenario.",
    },
    # -- charts -----------------------------------------------------------------------------
    "scenarios.chart.before": {
        "fr": "Rétention d'aujourd'hui",
        "en": "Retention as today",
    },
    "scenarios.chart.after": {
        "fr": "Rétention {points} points",
        "en": "Retention {points} points",
    },
    "scenarios.chart.change": {"fr": "Variation", "en": "Change"},
    "scenarios.chart.range": {"fr": "Fourchette à 95 %", "en": "95% range"},
    "scenarios.chart.horizon.title": {
        "fr": "Valeur de la base clients par horizon ({currency})",
        "en": "Value of the customer base by horizon ({currency})",
    },
    "scenarios.chart.horizon.x": {"fr": "Horizon", "en": "Horizon"},
    "scenarios.chart.horizon.y": {
        "fr": "Marge prédite de la base ({currency})",
        "en": "Predicted margin of the base ({currency})",
    },
    "scenarios.chart.horizon.tick": {"fr": "{months} mois", "en": "{months} months"},
    "scenarios.chart.year.title": {
        "fr": "Marge prédite par année ({currency})",
        "en": "Predicted margin per year ({currency})",
    },
    "scenarios.chart.year.y": {
        "fr": "Marge gagnée dans l'année ({currency})",
        "en": "Margin earned in the year ({currency})",
    },
    "scenarios.chart.year.tick": {"fr": "Année {year}", "en": "Year {year}"},
    "scenarios.chart.cohort.title": {
        "fr": "Marge cumulée par client, cohortes regroupées ({currency})",
        "en": "Cumulative margin per customer, pooled cohorts ({currency})",
    },
    "scenarios.chart.cohort.x": {
        "fr": "Mois depuis la première commande",
        "en": "Months since the first order",
    },
    "scenarios.chart.cohort.y": {
        "fr": "Marge cumulée par client ({currency})",
        "en": "Cumulative margin per customer ({currency})",
    },
    "scenarios.chart.cohort.before": {"fr": "Observée", "en": "As observed"},
    "scenarios.chart.cohort.after": {
        "fr": "Rétention de mois en mois {points} points",
        "en": "Month-over-month retention {points} points",
    },
    "scenarios.chart.cohort.customers": {
        "fr": "Clients observés aussi longtemps",
        "en": "Customers observed that long",
    },
    "scenarios.chart.budget.title": {
        "fr": "Valeur nette par canal : valeur des nouveaux clients moins dépenses ({currency})",
        "en": "Net value by channel: value of the new customers minus spend ({currency})",
    },
    "scenarios.chart.budget.y": {
        "fr": "Valeur nette ({currency})",
        "en": "Net value ({currency})",
    },
    "scenarios.chart.budget.before": {"fr": "Dépenses actuelles", "en": "Spend as today"},
    "scenarios.chart.budget.after": {"fr": "Après le transfert", "en": "After the move"},
    "scenarios.chart.budget.spend": {"fr": "Dépenses", "en": "Spend"},
    "scenarios.chart.budget.customers": {"fr": "Nouveaux clients", "en": "New customers"},
    "scenarios.chart.budget.value": {"fr": "Valeur créée", "en": "Value created"},
    # -- budget -----------------------------------------------------------------------------
    "scenarios.budget.title": {
        "fr": "Budget : déplacer des dépenses publicitaires entre canaux",
        "en": "Budget: moving ad spend between channels",
    },
    "scenarios.budget.explain": {
        "fr": "Modifiez les **dépenses après** des canaux (par exemple, retirez 2 000 € à l'un "
        "pour les donner à un autre) : le tableau plus bas montre les nouveaux clients que "
        "chaque canal amènerait à son propre coût par nouveau client (CAC), la valeur qu'ils "
        "créeraient (marge déjà gagnée + CLV prédite par client, comme sur la page "
        "Acquisition) et la valeur nette (valeur − dépenses). Les transferts n'ont pas à "
        "s'équilibrer : les totaux montrent la variation du budget.",
        "en": "Change the **spend after** of the channels (for example, take €2,000 from one "
        "and give it to another): the table below shows the new customers each channel would "
        "bring at its own cost per new customer (CAC), the value they would create (margin "
        "earned so far + predicted CLV per customer, as on the Acquisition page) and the net "
        "value (value − spend). The moves need not add up to zero: the totals show the change "
        "of budget.",
    },
    "scenarios.budget.no_spend": {
        "fr": "**Le scénario de budget a besoin de vos dépenses publicitaires par canal** : "
        "importez un fichier de dépenses marketing sur la page Données.",
        "en": "**The budget scenario needs your ad spend by channel**: import a marketing "
        "spend file on the Data page.",
    },
    "scenarios.budget.no_value": {
        "fr": "Le scénario de budget a besoin d'une valeur par client (CLV prédite), donc de "
        "clients ayant commandé au moins deux fois : voyez la page CLV.",
        "en": "The budget scenario needs a value per customer (predicted CLV), and so "
        "customers who ordered at least twice: see the CLV page.",
    },
    "scenarios.budget.nothing_in_period": {
        "fr": "Ni dépense ni nouveau client sur la période et les canaux choisis. Élargissez "
        "les filtres dans la barre latérale.",
        "en": "No spend and no new customer in the chosen period and channels. Widen the "
        "filters in the sidebar.",
    },
    "scenarios.budget.none_movable": {
        "fr": "Aucun canal n'a à la fois des dépenses, de nouveaux clients et une valeur par "
        "client sur la période choisie : il n'y a rien à déplacer.",
        "en": "No channel has spend, new customers and a value per customer in the chosen "
        "period: there is nothing to move.",
    },
    "scenarios.budget.fixed": {
        "fr": "Non proposés (pas de dépense, pas de nouveau client ou pas de valeur par client "
        "sur la période) : {channels}. Leurs chiffres restent dans les totaux.",
        "en": "Not offered (no spend, no new customer or no value per customer in the "
        "period): {channels}. Their figures stay in the totals.",
    },
    "scenarios.budget.saturation": {
        "fr": "Rendement des dépenses en plus (1 = CAC constant)",
        "en": "Returns on extra spend (1 = constant CAC)",
    },
    "scenarios.budget.saturation_help": {
        "fr": "1 : chaque canal garde son coût par nouveau client quoi qu'il dépense. Sous 1 : "
        "rendements décroissants, les nouveaux clients suivent (dépenses après ÷ dépenses "
        "actuelles) à cette puissance ; avec 0,7, doubler les dépenses amène 2^0,7 ≈ 1,6 fois "
        "plus de clients.",
        "en": "1: each channel keeps its cost per new customer whatever it spends. Below 1: "
        "diminishing returns, new customers follow (spend after ÷ spend now) to this power; "
        "with 0.7, doubling the spend brings 2^0.7 ≈ 1.6 times the customers.",
    },
    "scenarios.budget.reset": {"fr": "Annuler les transferts", "en": "Reset the moves"},
    "scenarios.budget.refused": {
        "fr": "**Ce transfert ne peut pas être calculé.** {error}",
        "en": "**This move cannot be computed.** {error}",
    },
    "scenarios.budget.no_move": {
        "fr": "Aucun transfert pour l'instant : modifiez les dépenses après d'un canal ci-dessus.",
        "en": "No move yet: edit the spend after of a channel above.",
    },
    "scenarios.budget.download": {
        "fr": "Télécharger le tableau (CSV)",
        "en": "Download the table (CSV)",
    },
    "scenarios.budget.kpi.spend": {
        "fr": "Dépenses publicitaires, actuelles → après",
        "en": "Ad spend, now → after",
    },
    "scenarios.budget.kpi.spend_help": {
        "fr": "Somme des dépenses des canaux sur la période choisie, avant et après les "
        "transferts. Prendre à un canal pour donner à un autre ne la change pas.",
        "en": "Sum of the channels' spend in the chosen period, before and after the moves. "
        "Taking from one channel to give to another leaves it unchanged.",
    },
    "scenarios.budget.kpi.customers": {
        "fr": "Nouveaux clients, actuels → après",
        "en": "New customers, now → after",
    },
    "scenarios.budget.kpi.customers_help": {
        "fr": "Par canal : nouveaux clients après = nouveaux clients actuels × (dépenses après "
        "÷ dépenses actuelles) puissance {saturation} ; avec 1, c'est dépenses après ÷ CAC. "
        "Somme sur les canaux.",
        "en": "Per channel: new customers after = new customers now × (spend after ÷ spend "
        "now) to the power {saturation}; with 1, that is spend after ÷ CAC. Summed over the "
        "channels.",
    },
    "scenarios.budget.kpi.net": {
        "fr": "Variation de la valeur nette",
        "en": "Change in net value",
    },
    "scenarios.budget.kpi.net_help": {
        "fr": "Valeur nette = valeur créée − dépenses, où valeur créée = nouveaux clients × "
        "valeur par client (marge déjà gagnée + CLV prédite). Avant : {value_before} créés, "
        "valeur nette {net_before} ; après : {value_after} créés, valeur nette {net_after}. "
        "Variation = après − avant.",
        "en": "Net value = value created − spend, where value created = new customers × value "
        "per customer (margin earned so far + predicted CLV). Before: {value_before} created, "
        "net value {net_before}; after: {value_after} created, net value {net_after}. Change "
        "= after − before.",
    },
    "scenarios.budget.kpi.net_caption": {
        "fr": "Valeur nette : {before} actuelle → {after} après.",
        "en": "Net value: {before} now → {after} after.",
    },
    "scenarios.budget.assumptions": {
        "fr": "**Hypothèses.** Chaque canal garde son CAC moyen : pas de rendements "
        "décroissants, sauf si vous baissez le rendement sous 1 (réglé à {saturation}). En "
        "pratique, l'euro de plus dans un canal amène souvent moins de clients que la "
        "moyenne. La valeur par client d'un canal est la moyenne des clients qu'il a amenés "
        "(marge déjà gagnée + CLV prédite, taux de marge de {rate} là où le coût est "
        "inconnu) ; les nouveaux clients sont supposés valoir autant. Les dépenses ne se "
        "répartissent pas par client : le filtre de segments de valeur ne s'applique pas ici.",
        "en": "**Assumptions.** Each channel keeps its average CAC: no diminishing returns, "
        "unless you set the returns below 1 (now {saturation}). In practice the next euro in "
        "a channel often brings fewer customers than the average. A channel's value per "
        "customer is the average of the customers it brought (margin earned so far + "
        "predicted CLV, margin rate {rate} where the cost is unknown); new customers are "
        "assumed to be worth the same. Spend cannot be split by customer: the value-tier "
        "filter does not apply here.",
    },
    # -- table columns ----------------------------------------------------------------------
    "scenarios.col.channel": {"fr": "Canal", "en": "Channel"},
    "scenarios.col.spend_now": {
        "fr": "Dépenses actuelles ({currency})",
        "en": "Spend now ({currency})",
    },
    "scenarios.col.new_customers": {"fr": "Nouveaux clients", "en": "New customers"},
    "scenarios.col.cac": {"fr": "CAC ({currency})", "en": "CAC ({currency})"},
    "scenarios.col.value_per_customer": {
        "fr": "Valeur par client ({currency})",
        "en": "Value per customer ({currency})",
    },
    "scenarios.col.spend_after_edit": {
        "fr": "Dépenses après ({currency}), à modifier",
        "en": "Spend after ({currency}), to edit",
    },
    "scenarios.col.spend_after_help": {
        "fr": "Saisissez les nouvelles dépenses du canal sur la période.",
        "en": "Type the channel's new spend for the period.",
    },
    "scenarios.col.spend_before": {
        "fr": "Dépenses actuelles ({currency})",
        "en": "Spend now ({currency})",
    },
    "scenarios.col.spend_after": {
        "fr": "Dépenses après ({currency})",
        "en": "Spend after ({currency})",
    },
    "scenarios.col.customers_before": {
        "fr": "Nouveaux clients actuels",
        "en": "New customers now",
    },
    "scenarios.col.customers_after": {
        "fr": "Nouveaux clients après",
        "en": "New customers after",
    },
    "scenarios.col.value_before": {
        "fr": "Valeur créée actuelle ({currency})",
        "en": "Value created now ({currency})",
    },
    "scenarios.col.value_after": {
        "fr": "Valeur créée après ({currency})",
        "en": "Value created after ({currency})",
    },
    "scenarios.col.net_before": {
        "fr": "Valeur nette actuelle ({currency})",
        "en": "Net value now ({currency})",
    },
    "scenarios.col.net_after": {
        "fr": "Valeur nette après ({currency})",
        "en": "Net value after ({currency})",
    },
    "scenarios.col.net_change": {
        "fr": "Variation de la valeur nette ({currency})",
        "en": "Change in net value ({currency})",
    },
}
