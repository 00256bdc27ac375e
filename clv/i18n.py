"""Every message of the app, in French and English.

Messages are keyed by a dotted id (``"data.import"``) and may hold ``{placeholders}``
filled by :func:`translate`. Messages are Markdown: values from files must be escaped
(``clv.formatting.escape_markdown``) before they are passed in.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("fr", "en")

TRANSLATIONS: dict[str, dict[str, str]] = {
    # -- app and navigation
    "app.title": {"fr": "Valeur client", "en": "Customer value"},
    "page.overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "page.data": {"fr": "Données", "en": "Data"},
    # -- sidebar
    "sidebar.data": {"fr": "Données chargées", "en": "Data loaded"},
    "sidebar.no_data": {"fr": "Aucune donnée pour l'instant.", "en": "No data yet."},
    "sidebar.table_rows": {"fr": "**{table}** : {rows}", "en": "**{table}**: {rows}"},
    "sidebar.table_dates": {"fr": "du {first} au {last}", "en": "{first} to {last}"},
    "sidebar.file": {"fr": "Fichier de données : {path}", "en": "Data file: {path}"},
    # -- store tables
    "table.orders": {"fr": "Commandes", "en": "Orders"},
    "table.customers": {"fr": "Clients", "en": "Customers"},
    "table.order_lines": {"fr": "Lignes de commande", "en": "Order lines"},
    "table.marketing_spend": {"fr": "Dépenses marketing", "en": "Marketing spend"},
    "table.nps_responses": {"fr": "Réponses NPS", "en": "NPS answers"},
    "table.support_tickets": {"fr": "Tickets support", "en": "Support tickets"},
    # -- kinds of files
    "kind.orders": {"fr": "Commandes", "en": "Orders"},
    "kind.customers": {"fr": "Clients", "en": "Customers"},
    "kind.spend": {"fr": "Dépenses marketing", "en": "Marketing spend"},
    "kind.nps": {"fr": "Réponses NPS", "en": "NPS answers"},
    "kind.tickets": {"fr": "Tickets support", "en": "Support tickets"},
    "kind.demo": {"fr": "Démo (tout)", "en": "Demo (everything)"},
    # -- demo data
    "demo.loading": {
        "fr": "Premier démarrage : chargement de la boutique de démonstration…",
        "en": "First start: loading the demo shop…",
    },
    "demo.loaded": {"fr": "Boutique de démonstration chargée", "en": "Demo shop loaded"},
    "demo.title": {"fr": "Données de démonstration", "en": "Demo data"},
    "demo.present": {
        "fr": "Les chiffres affichés incluent la boutique de démonstration « Maison Lumière » "
        "(données inventées). Retirez-la quand vos propres fichiers sont importés.",
        "en": "The figures shown include the demo shop “Maison Lumière” (made-up data). "
        "Remove it once your own files are imported.",
    },
    "demo.absent": {
        "fr": "La boutique de démonstration n'est pas chargée. Vous pouvez la recharger pour "
        "explorer l'application.",
        "en": "The demo shop is not loaded. You can load it again to explore the app.",
    },
    "demo.remove": {"fr": "Retirer les données de démonstration", "en": "Remove the demo data"},
    "demo.removed": {
        "fr": "Données de démonstration retirées. Elles ne seront plus rechargées au démarrage.",
        "en": "Demo data removed. It will not be loaded again at start-up.",
    },
    "demo.reload": {"fr": "Recharger les données de démonstration", "en": "Reload demo data"},
    # -- overview page
    "overview.title": {"fr": "Vue d'ensemble", "en": "Overview"},
    "overview.purpose": {
        "fr": "Ce que vaut votre clientèle : combien de clients ont acheté, combien de "
        "commandes, pour quel chiffre d'affaires.",
        "en": "What your customer base is worth: how many customers bought, how many "
        "orders, for how much revenue.",
    },
    "overview.empty": {
        "fr": "Aucune commande pour l'instant. Importez l'export des commandes de votre "
        "boutique (Shopify, WooCommerce, PrestaShop, Stripe ou tout fichier CSV ou Excel) "
        "dans la page Données.",
        "en": "No orders yet. Import your shop's orders export (Shopify, WooCommerce, "
        "PrestaShop, Stripe, or any CSV or Excel file) on the Data page.",
    },
    "overview.go_to_data": {"fr": "Importer un fichier", "en": "Import a file"},
    "overview.period": {
        "fr": "Commandes du **{first}** au **{last}**.",
        "en": "Orders from **{first}** to **{last}**.",
    },
    "overview.customers": {"fr": "Clients", "en": "Customers"},
    "overview.customers_help": {
        "fr": "Nombre de clients distincts ayant au moins une commande payée. Les commandes "
        "d'invités sans e-mail ni numéro client ne sont pas comptées.",
        "en": "Distinct customers with at least one paid order. Guest orders with neither "
        "an email nor a customer number are not counted.",
    },
    "overview.orders": {"fr": "Commandes payées", "en": "Paid orders"},
    "overview.orders_help": {
        "fr": "Nombre de commandes au statut payé (hors annulées, remboursées et tests).",
        "en": "Orders with status paid (cancelled, refunded and test orders left out).",
    },
    "overview.net_revenue": {"fr": "Chiffre d'affaires net", "en": "Net revenue"},
    "overview.net_revenue_help": {
        "fr": "Somme des montants nets des commandes payées : montant payé − remboursements, taxes et "
        "frais de port comme dans l'export.",
        "en": "Sum of the net amounts of paid orders: amount paid − refunds, with taxes and shipping as"
        " in the export.",
    },
    "overview.mixed_currencies": {
        "fr": "Les commandes sont en plusieurs devises ({currencies}) : le chiffre "
        "d'affaires les additionne sans conversion.",
        "en": "Orders come in several currencies ({currencies}): revenue adds them up "
        "without conversion.",
    },
    # -- data page: upload
    "data.title": {"fr": "Données", "en": "Data"},
    "data.purpose": {
        "fr": "Importez les exports de votre boutique et de vos outils, vérifiez ce que "
        "chaque import a chargé, annulez un import.",
        "en": "Import the exports of your shop and tools, check what each import loaded, "
        "undo an import.",
    },
    "data.upload.title": {"fr": "Importer un fichier", "en": "Import a file"},
    "data.upload.label": {
        "fr": "Fichier d'export (CSV, TSV, TXT, Excel ou Parquet)",
        "en": "Export file (CSV, TSV, TXT, Excel or Parquet)",
    },
    "data.upload.help": {
        "fr": "Encodage, séparateur, virgule décimale et format des dates sont détectés. "
        "Les e-mails sont pseudonymisés, les noms, adresses et téléphones ne sont pas "
        "conservés.",
        "en": "Encoding, delimiter, decimal comma and date format are detected. Emails are "
        "pseudonymised; names, addresses and phone numbers are not kept.",
    },
    "data.empty": {
        "fr": "Commencez par l'export des **commandes** de votre boutique : Shopify "
        "(Commandes → Exporter), WooCommerce, PrestaShop, paiements Stripe, ou tout fichier "
        "avec un numéro de commande, une date, un montant et l'e-mail du client. Ensuite, "
        "si vous les avez : clients, dépenses marketing (Google Ads, Meta Ads), réponses NPS "
        "(Typeform, SurveyMonkey, Qualtrics, Delighted) et tickets support (Zendesk, "
        "Gorgias, Freshdesk).",
        "en": "Start with your shop's **orders** export: Shopify (Orders → Export), "
        "WooCommerce, PrestaShop, Stripe payments, or any file with an order number, a date, "
        "an amount and the customer's email. Then, if you have them: customers, marketing "
        "spend (Google Ads, Meta Ads), NPS answers (Typeform, SurveyMonkey, Qualtrics, "
        "Delighted) and support tickets (Zendesk, Gorgias, Freshdesk).",
    },
    "data.reading": {"fr": "Lecture du fichier…", "en": "Reading the file…"},
    "data.kind": {"fr": "Type de données", "en": "Kind of data"},
    "data.kind_help": {
        "fr": "Reconnu d'après les en-têtes de colonnes ; changez-le si besoin.",
        "en": "Recognised from the column headers; change it if needed.",
    },
    "data.kind_unknown": {
        "fr": "Le type de ce fichier n'a pas été reconnu : choisissez-le, puis indiquez la "
        "correspondance des colonnes.",
        "en": "This file's kind was not recognised: choose it, then map the columns.",
    },
    "data.source": {"fr": "Source", "en": "Source"},
    "data.source_help": {
        "fr": "L'outil qui a produit l'export. « Autre format » permet d'indiquer vous-même "
        "quelle colonne contient quoi.",
        "en": "The tool that produced the export. “Other layout” lets you say which column "
        "holds what.",
    },
    "data.source.custom": {
        "fr": "Autre format (correspondance manuelle)",
        "en": "Other layout (map the columns)",
    },
    "data.source.demo": {"fr": "Démo", "en": "Demo"},
    "data.preview.title": {"fr": "Aperçu", "en": "Preview"},
    "data.preview.caption": {
        "fr": "Premières lignes sur {rows} ; les colonnes de données personnelles sont masquées.",
        "en": "First rows of {rows}; columns with personal data are masked.",
    },
    "data.mapping.title": {"fr": "Correspondance des colonnes", "en": "Column mapping"},
    "data.mapping.purpose": {
        "fr": "Pour chaque information, choisissez la colonne du fichier qui la contient. "
        "La correspondance est retenue pour les prochains fichiers aux mêmes colonnes.",
        "en": "For each piece of information, choose the file column that holds it. The "
        "mapping is remembered for the next files with the same columns.",
    },
    "data.mapping.none": {"fr": "— aucune —", "en": "— none —"},
    "data.mapping.required_note": {
        "fr": "Les informations marquées d'un astérisque (\\*) sont obligatoires.",
        "en": "Information marked with an asterisk (\\*) is required.",
    },
    "data.mapping.missing": {
        "fr": "Choisissez une colonne pour : {fields}.",
        "en": "Choose a column for: {fields}.",
    },
    "data.dates.question": {
        "fr": "Les dates comme 05/01/2023 sont :",
        "en": "Dates like 05/01/2023 are:",
    },
    "data.dates.dayfirst": {"fr": "jour/mois (5 janvier)", "en": "day/month (5 January)"},
    "data.dates.monthfirst": {"fr": "mois/jour (1er mai)", "en": "month/day (May 1)"},
    "data.dates.help": {
        "fr": "Le fichier ne permet pas de trancher pour : {columns}.",
        "en": "The file cannot tell for: {columns}.",
    },
    "data.import": {"fr": "Importer", "en": "Import"},
    "data.progress.reading": {"fr": "Lecture du fichier", "en": "Reading the file"},
    "data.progress.recognising": {
        "fr": "Reconnaissance des colonnes",
        "en": "Recognising the columns",
    },
    "data.progress.checking": {"fr": "Vérification de chaque ligne", "en": "Checking every row"},
    "data.progress.writing": {"fr": "Écriture dans la base", "en": "Writing to the store"},
    "data.progress.writing_table": {"fr": "Écriture : {table}", "en": "Writing: {table}"},
    "data.progress.done": {"fr": "Terminé", "en": "Done"},
    "data.importing": {"fr": "Import de {file}…", "en": "Importing {file}…"},
    "data.import_done": {"fr": "Import terminé", "en": "Import finished"},
    "data.import_failed": {"fr": "Import impossible", "en": "Import failed"},
    "data.store_unchanged": {
        "fr": "Rien de ce fichier n'a été enregistré : les données sont telles qu'avant.",
        "en": "Nothing from this file was stored: the data is as it was before.",
    },
    # -- data page: report
    "data.report.done": {
        "fr": "{file} importé : {kind}, source {source} (import n° {id}).",
        "en": "{file} imported: {kind}, source {source} (import no. {id}).",
    },
    "data.report.already": {
        "fr": "Ce fichier exact avait déjà été importé : rien n'est compté deux fois.",
        "en": "This exact file was imported before: nothing is counted twice.",
    },
    "data.report.read": {"fr": "Lignes lues", "en": "Rows read"},
    "data.report.read_help": {
        "fr": "Lignes de données du fichier (en-tête, titres et totaux exclus).",
        "en": "Data rows of the file (header, titles and totals left out).",
    },
    "data.report.loaded": {"fr": "Ajoutés", "en": "Added"},
    "data.report.loaded_help": {
        "fr": "Éléments nouveaux dans la base ({kind}) ; une commande répartie sur plusieurs lignes "
        "compte une fois.",
        "en": "{kind} new to the store; an order spread over several rows counts once.",
    },
    "data.report.updated": {"fr": "Mis à jour", "en": "Updated"},
    "data.report.updated_help": {
        "fr": "Éléments déjà connus ({kind}) dont une valeur a changé : la version de ce fichier "
        "remplace l'ancienne.",
        "en": "{kind} already known with a changed value: this file's version replaces the older one.",
    },
    "data.report.unchanged": {"fr": "Doublons", "en": "Duplicates"},
    "data.report.unchanged_help": {
        "fr": "Éléments déjà présents à l'identique ({kind}) : laissés tels quels.",
        "en": "{kind} already stored exactly the same: left as they were.",
    },
    "data.report.rejected": {"fr": "Lignes rejetées", "en": "Rejected rows"},
    "data.report.rejected_help": {
        "fr": "Lignes non importées (date illisible, montant manquant…) ; le détail est "
        "ci-dessous.",
        "en": "Rows not imported (unreadable date, missing amount…); details below.",
    },
    "data.report.next": {
        "fr": "Pour importer un autre fichier, déposez-le ci-dessus.",
        "en": "To import another file, drop it above.",
    },
    "data.rejected.title": {"fr": "Lignes rejetées", "en": "Rejected rows"},
    "data.rejected.line": {"fr": "Ligne", "en": "Line"},
    "data.rejected.reason": {"fr": "Motif", "en": "Reason"},
    "data.rejected.raw_line": {"fr": "Contenu de la ligne", "en": "Line content"},
    "data.rejected.download": {
        "fr": "Télécharger les lignes rejetées (CSV)",
        "en": "Download the rejected rows (CSV)",
    },
    "data.rejected.none": {
        "fr": "Aucune ligne rejetée dans les imports.",
        "en": "No rejected rows in any import.",
    },
    "data.rejected.which": {"fr": "Import", "en": "Import"},
    # -- data page: sources
    "data.sources.title": {
        "fr": "Quels exports sont reconnus ?",
        "en": "Which exports are recognised?",
    },
    "data.sources.intro": {
        "fr": "Ces exports sont reconnus d'après leurs colonnes ; tout autre fichier s'importe "
        "en indiquant la correspondance des colonnes.",
        "en": "These exports are recognised from their columns; any other file can be "
        "imported by mapping its columns.",
    },
    "data.sources.line": {"fr": "- **{kind}** : {sources}", "en": "- **{kind}**: {sources}"},
    "data.sources.cli": {
        "fr": "Fichier trop gros pour le navigateur ? En ligne de commande : "
        "`python -m clv ingest FICHIER`.",
        "en": "File too big for the browser? From the command line: `python -m clv ingest FILE`.",
    },
    # -- data page: history
    "data.history.title": {"fr": "Historique des imports", "en": "Import history"},
    "data.history.empty": {"fr": "Aucun import pour l'instant.", "en": "No imports yet."},
    "data.history.id": {"fr": "N°", "en": "No."},
    "data.history.imported_at": {"fr": "Importé le", "en": "Imported on"},
    "data.history.file": {"fr": "Fichier", "en": "File"},
    "data.history.kind": {"fr": "Type", "en": "Kind"},
    "data.history.source": {"fr": "Source", "en": "Source"},
    "data.history.notes": {"fr": "Remarques", "en": "Notes"},
    "data.history.download": {
        "fr": "Télécharger l'historique (CSV)",
        "en": "Download the history (CSV)",
    },
    "data.import_option": {
        "fr": "n° {id} — {file} ({kind}, {date})",
        "en": "no. {id} — {file} ({kind}, {date})",
    },
    "data.delete.title": {"fr": "Supprimer un import", "en": "Delete an import"},
    "data.delete.which": {"fr": "Import à supprimer", "en": "Import to delete"},
    "data.delete.explain": {
        "fr": "Retire les lignes que cet import a écrites et ses lignes rejetées. Les lignes "
        "qu'un import plus récent a remplacées restent.",
        "en": "Removes the rows this import wrote and its rejected rows. Rows that a later "
        "import replaced stay.",
    },
    "data.delete.confirm": {
        "fr": "Je confirme la suppression de cet import",
        "en": "I confirm deleting this import",
    },
    "data.delete.button": {"fr": "Supprimer cet import", "en": "Delete this import"},
    "data.delete.done": {"fr": "Import n° {id} supprimé.", "en": "Import no. {id} deleted."},
    # -- input fields of the column mapping (English = clv.ingest.types.FIELDS labels)
    "field.order_id": {"fr": "N° de commande", "en": "Order id"},
    "field.ordered_at": {"fr": "Date de commande", "en": "Order date"},
    "field.customer_email": {"fr": "E-mail du client", "en": "Customer email"},
    "field.customer_ref": {"fr": "N° client dans la boutique", "en": "Customer id in the shop"},
    "field.total_amount": {"fr": "Total de la commande", "en": "Order total"},
    "field.discount_amount": {"fr": "Remise", "en": "Discount"},
    "field.refunded_amount": {"fr": "Montant remboursé", "en": "Refunded amount"},
    "field.net_amount": {"fr": "Montant net", "en": "Net amount"},
    "field.cost_amount": {"fr": "Coût des marchandises", "en": "Cost of goods"},
    "field.currency": {"fr": "Devise", "en": "Currency"},
    "field.status": {"fr": "Statut", "en": "Status"},
    "field.cancelled_at": {"fr": "Annulée le", "en": "Cancelled at"},
    "field.payment_method": {"fr": "Moyen de paiement", "en": "Payment method"},
    "field.tags": {"fr": "Étiquettes", "en": "Tags"},
    "field.channel": {"fr": "Canal de vente ou d'acquisition", "en": "Sales or marketing channel"},
    "field.country": {"fr": "Pays", "en": "Country"},
    "field.product_id": {"fr": "Réf. produit / SKU", "en": "Product id / SKU"},
    "field.product_name": {"fr": "Nom du produit", "en": "Product name"},
    "field.quantity": {"fr": "Quantité", "en": "Quantity"},
    "field.unit_price": {"fr": "Prix unitaire", "en": "Unit price"},
    "field.line_amount": {"fr": "Montant de la ligne", "en": "Line amount"},
    "field.first_seen_at": {
        "fr": "Créé le / vu pour la première fois",
        "en": "Created / first seen",
    },
    "field.acquisition_channel": {"fr": "Canal d'acquisition", "en": "Acquisition channel"},
    "field.consent_analytics": {
        "fr": "Consentement à la mesure d'audience",
        "en": "Consents to analytics",
    },
    "field.consent_marketing": {"fr": "Accepte le marketing", "en": "Accepts marketing"},
    "field.spend_date": {"fr": "Jour", "en": "Day"},
    "field.spend.channel": {"fr": "Canal / plateforme", "en": "Channel / platform"},
    "field.campaign": {"fr": "Campagne", "en": "Campaign"},
    "field.spend_amount": {"fr": "Montant dépensé", "en": "Amount spent"},
    "field.response_id": {"fr": "N° de réponse", "en": "Response id"},
    "field.nps.customer_email": {"fr": "E-mail du répondant", "en": "Respondent email"},
    "field.answered_at": {"fr": "Date de réponse", "en": "Answered at"},
    "field.score": {"fr": "Note de 0 à 10", "en": "Score 0-10"},
    "field.ticket_id": {"fr": "N° de ticket", "en": "Ticket id"},
    "field.tickets.customer_email": {"fr": "E-mail du demandeur", "en": "Requester email"},
    "field.tickets.customer_ref": {"fr": "N° du demandeur", "en": "Requester id"},
    "field.opened_at": {"fr": "Ouvert le", "en": "Created at"},
    "field.solved_at": {"fr": "Résolu le", "en": "Solved at"},
    "field.satisfaction": {"fr": "Satisfaction", "en": "Satisfaction"},
    "fieldhelp.order_id": {
        "fr": "Les lignes qui le partagent sont les articles d'une même commande ; à défaut, "
        "chaque ligne est une commande",
        "en": "Rows sharing it are line items of one order; if absent, each row is one order",
    },
    "fieldhelp.customer_email": {
        "fr": "Pseudonymisé à l'import, jamais stocké",
        "en": "Pseudonymised on import, never stored",
    },
    "fieldhelp.customer_ref": {
        "fr": "Utilisé quand il n'y a pas d'e-mail",
        "en": "Used when there is no email",
    },
    "fieldhelp.total_amount": {
        "fr": "Montant brut payé pour la commande",
        "en": "Gross amount paid for the order",
    },
    "fieldhelp.net_amount": {
        "fr": "À défaut : total − remboursé",
        "en": "If absent: total - refunded",
    },
    "fieldhelp.cost_amount": {
        "fr": "Donne la vraie marge brute",
        "en": "Gives the real gross margin",
    },
    "fieldhelp.status": {
        "fr": "payée / annulée / remboursée / test, ou les mots de la boutique",
        "en": "paid / cancelled / refunded / test, or the shop's own words",
    },
    "fieldhelp.cancelled_at": {
        "fr": "Toute valeur marque la commande comme annulée",
        "en": "Any value marks the order cancelled",
    },
    "fieldhelp.payment_method": {
        "fr": "Une passerelle de test marque une commande de test",
        "en": "A test gateway marks a test order",
    },
    "fieldhelp.tags": {
        "fr": "Une étiquette « test » marque une commande de test",
        "en": "A 'test' tag marks a test order",
    },
    "fieldhelp.line_amount": {
        "fr": "À défaut : quantité × prix unitaire",
        "en": "If absent: quantity x unit price",
    },
    "fieldhelp.spend.channel": {
        "fr": "Rempli par le modèle de la source (Google Ads, Meta Ads) s'il manque",
        "en": "Filled by the preset (Google Ads, Meta Ads) when absent",
    },
    "fieldhelp.response_id": {
        "fr": "À défaut : calculé à partir de la ligne",
        "en": "If absent: derived from the row",
    },
}


def translate(key: str, lang: str, **kwargs: object) -> str:
    """The message ``key`` in ``lang``, placeholders filled from ``kwargs``.

    Parameters
    ----------
    key : message id, e.g. ``"data.import"``.
    lang : ``"fr"`` or ``"en"``; any other code falls back to English.
    **kwargs : values of the ``{placeholders}`` of the message.

    Returns
    -------
    str. An unknown key comes back as the key itself, so a missing message shows up on
    screen instead of breaking the page.
    """
    messages = TRANSLATIONS.get(key)
    if messages is None:
        return key
    text = messages.get(lang) or messages["en"]
    return text.format(**kwargs) if kwargs else text
