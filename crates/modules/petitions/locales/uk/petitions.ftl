petition-nav = Петиції
petition-admin-nav = Петиції: модерація і розгляд
petition-gate-create = Створення петиції
petition-gate-sign = Підписання петиції
petition-stat-moderation = { $count ->
    [one] петиція чекає модерації
    [few] петиції чекають модерації
   *[many] петицій чекають модерації
}
petition-stat-collecting = { $count ->
    [one] петиція збирає підписи
    [few] петиції збирають підписи
   *[many] петицій збирають підписи
}
petition-stat-consideration = { $count ->
    [one] петиція на розгляді
    [few] петиції на розгляді
   *[many] петицій на розгляді
}
petition-signatures = { $count ->
    [one] підпис
    [few] підписи
   *[many] підписів
}
petition-list-title = Електронні петиції
petition-list-lead = Петиція, що за { $days } днів збере { $threshold } підписів, обов’язково розглядається радою протягом 10 робочих днів.
petition-new = Створити петицію
petition-mine = Мої чернетки та петиції на модерації
petition-public = Оприлюднені петиції
petition-until = Збір підписів до { $date }
petition-none = Оприлюднених петицій поки немає.
petition-new-lead = Опишіть проблему і чого ви просите. Модератори перевірять петицію протягом 2 робочих днів; після оприлюднення вона має { $days } днів, щоб зібрати { $threshold } підписів.
petition-field-title = Назва петиції
petition-field-category = Тема
petition-field-body = Текст петиції
petition-hint-title = Від 10 до 200 символів: суть вимоги одним реченням.
petition-hint-body = Від 50 символів. Можна використовувати Markdown: списки, **жирний**, посилання.
petition-choose = — оберіть —
petition-save-draft = Зберегти чернетку
petition-author = Автор
petition-count = Кількість підписів
petition-of = з
petition-you-signed = Ви вже підписали цю петицію.
petition-sign = Підписати петицію
petition-sign-needs = Для підпису потрібен рівень: { $level }.
petition-sign-in-to-sign = Увійдіть, щоб підписати
petition-draft-hint = Це чернетка: її бачите лише ви. Коли текст готовий, надішліть петицію на модерацію.
petition-submit = Надіслати на модерацію
petition-text = Текст петиції
petition-refused = У оприлюдненні відмовлено
petition-answer = Відповідь
petition-dates = Дати
petition-created = Створено
petition-submitted = Надіслано на модерацію
petition-moderation-due = Рішення модератора — до
petition-published = Оприлюднено
petition-collection-ends = Збір підписів до
petition-consideration-due = Розглянути до
petition-timeline = Хід розгляду
petition-signers = Підписанти
petition-all-signers = Усі підписанти
petition-chain-head = Контрольний хеш списку:
petition-signed-title = Петицію підписано
petition-signed-lead = Ваш підпис під петицією № { $number } збережено. Зараз підписів: { $count }.
petition-receipt = Ваш код квитанції:
petition-receipt-hint = Збережіть його: за цим кодом ви можете перевірити, що ваш підпис (№ { $seq }) є в оприлюдненому списку.
petition-back = Повернутися до петиції «{ $title }»
petition-signer = Підписант
petition-signed-at = Час підпису
petition-chain-json = Список підписів для перевірки (JSON)
petition-queue = Черга модерації
petition-overdue = прострочено
petition-publish = Оприлюднити
petition-return = Повернути на доопрацювання
petition-refuse = Відмовити в оприлюдненні
petition-refusal-reason = Підстава
petition-refusal-explain = Пояснення для автора
petition-queue-empty = Немає петицій, що чекають модерації.
petition-considering = На розгляді
petition-decision = Рішення
petition-answer-text = Текст відповіді
petition-publish-answer = Оприлюднити відповідь
petition-considering-empty = Немає петицій на розгляді.
petition-status-draft = чернетка
petition-status-submitted = на модерації
petition-status-returned = повернуто на доопрацювання
petition-status-collecting = збір підписів
petition-status-refused = відмовлено в оприлюдненні
petition-status-under_consideration = на розгляді
petition-status-answered = є відповідь
petition-status-fell_short = не набрала підписів
petition-status-passed_as_appeal = передано як звернення
petition-status-archived = в архіві
petition-category-roads = дороги й освітлення
petition-category-housing = житло і комунальні послуги
petition-category-environment = довкілля
petition-category-education = освіта
petition-category-social = соціальний захист
petition-category-other = інше
petition-refusal-duplicate = така вимога вже збирає підписи
petition-refusal-outside_competence = поза повноваженнями ради
petition-refusal-prohibited_content = недопустимий зміст
petition-refusal-missing_data = бракує даних
petition-decision-supported = підтримано
petition-decision-partly_supported = підтримано частково
petition-decision-not_supported = не підтримано
petition-flash-draft = Чернетку збережено.
petition-flash-submitted = Петицію надіслано на модерацію.
petition-error-step-title = Цей крок зараз неможливий
petition-error-step = Петиція вже в іншому стані; оновіть сторінку.
petition-error-refusal-needs-reason = Оберіть підставу і поясніть авторові причину відмови.
petition-error-answer-needs-text = Оберіть рішення і напишіть відповідь (щонайменше 20 символів).
petition-refused-not-collecting = Ця петиція зараз не збирає підписів.
petition-refused-period-over = Строк збору підписів минув.
petition-refused-under-age = За статутом громади петиції підписують особи від певного віку; ви його ще не досягли.
petition-refused-age-unknown = Вкажіть рік народження в профілі: статут громади обмежує вік підписантів.
petition-refused-not-resident = Підписувати можуть мешканці громади: вкажіть у профілі свій населений пункт.
petition-refused-already-signed = Ви вже підписали цю петицію.
petition-invalid-title = Назва має бути від 10 до 200 символів.
petition-invalid-body = Текст має бути від 50 до 10 000 символів.
petition-invalid-category = Оберіть тему зі списку.

petition-mail-published-subject = Петицію № { $number } оприлюднено — { $community }
petition-mail-published-body =
    Вашу петицію «{ $title }» оприлюднено: почався збір підписів.
    { $link }
petition-mail-refused-subject = У оприлюдненні петиції № { $number } відмовлено — { $community }
petition-mail-refused-body =
    Модератори відмовили в оприлюдненні петиції «{ $title }». Причину вказано на сторінці петиції:
    { $link }
petition-mail-returned-subject = Петицію № { $number } повернуто на доопрацювання — { $community }
petition-mail-returned-body =
    Модератори просять доопрацювати петицію «{ $title }». Змініть текст і надішліть її знову:
    { $link }
petition-mail-threshold-subject = Петиція № { $number } набрала потрібні підписи — { $community }
petition-mail-threshold-body =
    Петиція «{ $title }» набрала потрібну кількість підписів і передана на розгляд. Строк розгляду — 10 робочих днів.
    { $link }
petition-mail-answered-subject = Відповідь на петицію № { $number } — { $community }
petition-mail-answered-body =
    На петицію «{ $title }» оприлюднено відповідь:
    { $link }
petition-mail-fell-short-subject = Петиція № { $number } не набрала підписів — { $community }
petition-mail-fell-short-body =
    Строк збору підписів під петицією «{ $title }» минув, а потрібної кількості не набрано. Ви можете передати її як звичайне звернення:
    { $link }
petition-refused-already-signed-title = Уже підписано
petition-refused-not-collecting-title = Збір підписів не триває
petition-settings = Правила петицій за статутом
petition-settings-lead = Числа, які встановлює статут громади. Нові правила діють для петицій, створених після збереження.
petition-rule-threshold = Кількість підписів для розгляду
petition-rule-collection-days = Строк збору підписів, календарних днів
petition-rule-collection-days-hint = Не більше 90 днів.
petition-rule-moderation-days = Строк модерації, робочих днів
petition-rule-consideration-days = Строк розгляду після набрання підписів, робочих днів
petition-rule-min-age = Мінімальний вік підписанта, років (0 — без обмеження)
petition-rule-residents-only = Підписувати можуть лише мешканці громади
petition-rule-accept-idp = Внутрішньо переміщені особи, зареєстровані в громаді, прирівнюються до мешканців
petition-rule-addressee = Кому адресовано петиції
petition-addressee-council = міській (селищній, сільській) раді
petition-addressee-mayor = міському голові
petition-addressee-executive_committee = виконавчому комітету
petition-invalid-threshold = Від 1 до 1 000 000 підписів.
petition-invalid-collection_days = Від 1 до 90 днів.
petition-invalid-moderation_working_days = Від 1 до 30 робочих днів.
petition-invalid-consideration_working_days = Від 1 до 60 робочих днів.
petition-invalid-min_age = Вкажіть вік числом від 0 до 120.
petition-edit = Редагувати петицію
petition-error-not-editable-title = Текст уже не можна змінити
petition-error-not-editable = Змінювати можна лише чернетку або петицію, повернуту на доопрацювання.
petition-print = Для ради: петиція і список підписантів (друк)
petition-csv = Список підписантів (CSV)
petition-full-name = ПІБ
petition-threshold-reached = Набрала підписи
petition-filter = Вибір петицій
petition-filter-status = Стан
petition-filter-all = усі
petition-filter-apply = Показати
petition-sort = Порядок
petition-sort-newest = спершу нові
petition-sort-signed = найбільше підписів
petition-sort-ending = скоро завершується збір
petition-sort-relevance = за збігом
petition-search = Пошук
petition-search-found = Петиції, у назві чи тексті яких є «{ $words }»
petition-search-none = Нічого не знайдено. Спробуйте інші або коротші слова.
petition-similar-title = Схожі петиції
petition-similar-lead = Можливо, таку петицію вже подано. Підписати наявну часто краще, ніж розпорошувати підписи.
petition-open-data = Відкриті дані про всі оприлюднені петиції:
petition-count-refresh = Оновити
petition-rule-text = Правила для авторів
petition-rule-text-hint = Що статут громади вимагає від петиції. Показується над формою петиції. Можна markdown: абзаци, списки, посилання.
petition-invalid-rules_text = Правила надто довгі: не більше 20 000 символів.
petition-rules-title = Правила подання петиції
petition-rules-default-subject = Петиція стосується питання, яке вирішує місцева рада, міський голова чи виконавчий комітет.
petition-rules-default-content = Вона містить суть звернення і обґрунтування, без закликів до насильства, ненависті чи порушення закону та без чужих персональних даних.
petition-rules-default-moderation = Модератори оприлюднюють петицію або відмовляють із причиною протягом { $days } робочих днів.
petition-rules-default-consideration = Петицію, що набрала потрібну кількість підписів, розглядають протягом { $days } робочих днів і оприлюднюють відповідь.
petition-mail-passed-as-appeal-subject = Петицію № { $number } передано як звернення — { $community }
petition-mail-passed-as-appeal-body =
    Автор петиції «{ $title }», яка не набрала потрібної кількості підписів, передав її як звичайне звернення. Її слід розглянути за Законом «Про звернення громадян» у строк до одного місяця:
    { $link }
petition-pass-on-title = Передати як звернення
petition-pass-on-lead = Петиція не набрала потрібних підписів. За законом ви можете передати її як звичайне звернення: посадовці розглянуть її в загальному порядку, у строк до одного місяця, і дадуть вам відповідь.
petition-pass-on = Передати петицію як звернення
petition-flash-passed-on = Петицію передано як звернення. Посадовців повідомлено.
petition-bursts = Підписи з однієї мережі
petition-bursts-lead = Мережі (/24 для IPv4, /48 для IPv6), з яких за останню добу надійшло щонайменше { $count } підписів під однією петицією. Це привід придивитися, а не доказ порушення: школа чи ЦНАП теж мають одну мережу. Адрес окремих підписантів система не зберігає.
petition-bursts-none = За останню добу таких сплесків не було.
petition-bursts-from-network = Підписів з мережі
petition-bursts-all = Усього підписів за той самий час
petition-network = Мережа
petition-number = Петиція
petition-ended = Завершені
petition-ended-empty = Завершених петицій, які ще не в архіві, немає.
petition-archive = В архів
petition-files = Зображення та додатки (за бажанням)
petition-files-attached = Уже додано; позначте те, що треба прибрати:
petition-file-remove = Прибрати «{ $name }»
petition-field-image = Зображення
petition-hint-image = JPEG, PNG або WebP до 15 МБ. Дані про місце зйомки й пристрій буде вилучено.
petition-field-image-alt = Опис зображення
petition-hint-image-alt = Що на ньому видно — для людей, які не бачать зображення. Обовʼязково, якщо додаєте зображення.
petition-field-attachments = Додатки
petition-hint-attachments = PDF або зображення, не більше { $count } файлів, кожен до 20 МБ.
petition-invalid-image-count = Додайте одне зображення.
petition-invalid-image-alt = Опишіть, що на зображенні.
petition-invalid-attachment-count = Забагато додатків: не більше трьох.
petition-attachments = Додатки
petition-answer-document = Документ відповіді
petition-answer-document-field = Документ відповіді (за бажанням)
petition-answer-document-hint = Підписаний документ у PDF або скан у JPEG чи PNG, до 20 МБ.
petition-author-under-age = За статутом громади петиції подають особи від певного віку; ви його ще не досягли.
petition-author-age-unknown = Вкажіть рік народження в профілі: статут громади обмежує вік авторів петицій.
petition-author-not-resident = Подавати петиції можуть мешканці громади: вкажіть у профілі свій населений пункт.

# In the chatbot
petition-bot-entry = Петиції
petition-bot-none = Зараз жодна петиція не збирає підписів.
petition-bot-all = Усі петиції на сайті
petition-bot-collecting = Петиції, що збирають підписи:
petition-bot-more = Ще петиції
petition-bot-ends = Збір підписів до { $date }
petition-bot-sign = ✍️ Підписати
petition-bot-open = Відкрити на сайті
petition-bot-back = До списку петицій
petition-bot-signed = Підпис № { $seq } зараховано (усього { $count }). Код квитанції: { $receipt } — за ним можна знайти свій підпис у публічному списку.
petition-bot-check = Перевірити в списку підписів
petition-widget-latest = Петиції, що збирають підписи
petition-widget-title = Петиції збирають підписи
petition-widget-count = Підписів: { $count } з { $threshold }
petition-widget-none = Зараз жодна петиція не збирає підписи.
petition-widget-all = Усі петиції
petition-search-kind = Петиція
