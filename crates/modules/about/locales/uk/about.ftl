about-nav = Контакти
about-title = Про громаду
about-office = Приймальня
about-people = До кого звертатися
about-departments = Підрозділи
about-settlements = Населені пункти
about-settlement = Населений пункт
about-admin-nav = Сторінка «Про громаду»
about-intro = Вступний текст
about-intro-uk = Текст українською
about-intro-en = Текст англійською
about-intro-hint = Можна використовувати Markdown: **жирний**, списки, посилання.
about-add-person = Додати контакт
about-role-uk = Посада українською
about-role-en = Посада англійською
about-invalid-role = Вкажіть посаду — від 2 до 200 символів.
about-invalid-intro = Текст задовгий: до 20 000 символів.
about-stat-contacts = { $count ->
    [one] контакт на сторінці «Про громаду»
    [few] контакти на сторінці «Про громаду»
   *[many] контактів на сторінці «Про громаду»
}
about-widget = Контакти посадовців
about-widget-more = Усі контакти
about-photo = Фото
about-photo-hint = Необов’язково. PNG, JPEG або WebP; метадані (зокрема місце зйомки) видаляються.
