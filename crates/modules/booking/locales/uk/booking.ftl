booking-nav = Запис на прийом
booking-title = Запис на прийом
booking-lead = Оберіть послугу ЦНАП або лікаря, зручний день і час. Після запису ви отримаєте код, який покажете на місці.
booking-none = Записатися поки нікуди.
booking-kind-cnap = ЦНАП
booking-kind-doctor = Лікарі
booking-about-service = про послугу
booking-days = Дні
booking-free = { $count ->
    [0] вільних немає
    [one] { $count } вільний час
    [few] { $count } вільні часи
   *[many] { $count } вільних часів
}
booking-times = Вільний час на { $date }
booking-taken = зайнято
booking-no-free = Вільного часу немає. Спробуйте пізніше: записи відкриваються щодня.
booking-moving = Оберіть новий час — попередній запис скасується, щойно ви підтвердите новий.
booking-confirm-title = Підтвердіть запис
booking-what = Куди
booking-when = Коли
booking-where = Де
booking-cancel-rule = Скасувати або перенести запис можна не пізніше ніж за { $minutes } хв до початку.
booking-confirm = Записатися
booking-other-time = Інший час
booking-booked = Ви записані. Код для прийому — у списку ваших записів.
booking-mine = Мої записи
booking-book-another = Записатися ще
booking-code = Код
booking-move = Перенести
booking-cancel = Скасувати запис
booking-cancelled = Запис скасовано.
booking-too-late-to-change = Змінити цей запис уже не можна; якщо не зможете прийти, зателефонуйте.
booking-no-visits = У вас ще немає записів.
booking-status-booked = очікує
booking-status-arrived = прийшов(-ла)
booking-status-served = обслуговано
booking-status-no_show = не прийшов(-ла)
booking-status-cancelled = скасовано
booking-refused-past = Цей час уже минув.
booking-refused-too-far = На цей день запис ще не відкрито.
booking-refused-no-slot = Такого часу в розкладі немає.
booking-refused-taken = Цей час щойно зайняли. Оберіть інший.
booking-refused-already = У вас уже є запис сюди. Перенесіть його або скасуйте, щоб записатися знову.
booking-refused-too-late = Змінити запис уже не можна.
booking-action-cnap = Запис до ЦНАП
booking-action-doctor = Запис до лікаря
booking-weekday-0 = Пн
booking-weekday-1 = Вт
booking-weekday-2 = Ср
booking-weekday-3 = Чт
booking-weekday-4 = Пт
booking-weekday-5 = Сб
booking-weekday-6 = Нд
booking-admin-nav = Запис і черга
booking-find-code = Знайти запис за кодом
booking-find-code-hint = Код, який показує відвідувач, наприклад AK3MXT.
booking-code-found = Запис знайдено.
booking-code-unknown = Запису з таким кодом немає.
booking-new-resource = Додати вікно або лікаря
booking-inactive = вимкнено
booking-settings = Налаштування
booking-queue = Черга на день
booking-field-name = Назва або ПІБ лікаря
booking-field-name-hint = Наприклад: «Паспортні послуги (вікно 3)» або «Іваненко Олена Петрівна».
booking-field-specialty = Спеціальність лікаря
booking-field-place = Заклад або ЦНАП
booking-field-service = Номер послуги в каталозі
booking-field-service-hint = Необов’язково: тоді запис пов’яже сторінку послуги.
booking-field-slot = Тривалість прийому, хв
booking-field-horizon = На скільки днів уперед відкрито запис
booking-field-cancel = Скасувати можна не пізніше ніж за, хв
booking-field-active = Приймає записи
booking-week = Розклад на тиждень
booking-week-hint = Наприклад: 08:00-12:00, 13:00-17:00. Порожньо — вихідний. У державні свята прийому немає, якщо не додано окремий день.
booking-exceptions = Окремі дні
booking-exception-hint = Години цього дня; порожньо — зачинено.
booking-field-day = Дата
booking-field-hours = Години
booking-field-note = Примітка
booking-closed = зачинено
booking-invalid-kind = Оберіть тип.
booking-invalid-name = Назва — від 2 до 200 символів.
booking-invalid-place = Вкажіть заклад — від 2 до 200 символів.
booking-invalid-service = Номер послуги — ціле додатне число.
booking-invalid-slot = Тривалість — від 5 до 240 хвилин.
booking-invalid-horizon = Від 1 до 120 днів.
booking-invalid-cancel = До 10080 хвилин (тиждень).
booking-invalid-hours = Години як 08:00-12:00, через кому; проміжки не можуть перетинатися.
booking-invalid-day = Вкажіть дату.
booking-invalid-walk-in-name = Вкажіть ім’я відвідувача.
booking-previous-day = Попередній день
booking-next-day = Наступний день
booking-print-hint = Для друку скористайтеся друком сторінки браузера.
booking-time = Час
booking-person = Відвідувач
booking-status = Стан
booking-walk-in = без запису
booking-no-visits-day = Записів на цей день немає.
booking-add-walk-in = Відвідувач без запису
booking-no-free-today = Вільного часу сьогодні вже немає.
booking-walk-in-added = Відвідувача додано до черги.
booking-status-stale = Стан уже змінено — оновіть сторінку.
booking-mark-arrived = Прийшов
booking-mark-served = Обслуговано
booking-mark-no_show = Не прийшов
booking-mark-cancelled = Скасувати
booking-stat-resources = { $count ->
    [one] вікно чи лікар із записом
    [few] вікна чи лікарі із записом
   *[many] вікон чи лікарів із записом
}
booking-bot-entry = Записатися на прийом
booking-bot-mine = Мої записи
booking-bot-ask-resource = Куди записатися?
booking-bot-ask-day = Оберіть день (у дужках — скільки вільного часу):
booking-bot-ask-time = Вільний час на { $date }:
booking-bot-confirm = Записати вас?
    { $what }
    { $when }
    { $place }
booking-bot-other-time = Інший час
booking-bot-booked = Ви записані на { $when }. Ваш код: { $code }. Покажіть його на місці.
booking-bot-no-visits = У вас немає майбутніх записів.
booking-mail-booked-subject = Запис на { $when }
booking-mail-booked-body = Ви записані: { $what }, { $when }.
    Місце: { $place }, { $address }.
    Ваш код: { $code } — покажіть його на місці.
    Громада { $community }
booking-mail-reminder-subject = Нагадування: завтра { $when }
booking-mail-reminder-body = Нагадуємо про запис: { $what }, { $when }.
    Місце: { $place }, { $address }.
    Ваш код: { $code }. Якщо не зможете прийти, скасуйте запис, щоб час отримав хтось інший.
    Громада { $community }
